package dev.switchboard.stream;

import static dev.switchboard.stream.Chunks.chunk;
import static dev.switchboard.stream.Chunks.content;
import static dev.switchboard.stream.Chunks.events;
import static dev.switchboard.stream.Chunks.field;
import static dev.switchboard.stream.Chunks.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Made-up streams for what the recordings do not show: held text, odd events, several choices, renamed fields. */
class ReasoningSplitterEventsTest {

    private static List<Buffer> buffers(String... events) {
        return List.of(events).stream().map(Buffer::buffer).toList();
    }

    @Test
    void heldTextGoesOutWithTheFinishReason() {
        List<Buffer> in = buffers(Chunks.role(), content("<think>a</th"), Chunks.finish(), Chunks.DONE);
        List<Buffer> out = run(new ReasoningSplitter(ReasoningMode.SPLIT), in);
        assertEquals("a", Chunks.data(events(out.subList(1, 2)).get(0)).getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("reasoning_content"), "the text before the possible tag goes at once");
        JsonObject last = Chunks.data(events(out.subList(2, 3)).get(0)).getJsonArray("choices").getJsonObject(0);
        assertEquals(new JsonObject().put("reasoning_content", "</th"), last.getJsonObject("delta"));
        assertEquals("stop", last.getString("finish_reason"));
        assertSame(in.get(3), out.get(3));
    }

    @Test
    void heldTextWithoutFinishReasonGoesOutJustBeforeDone() {
        List<Buffer> in = buffers(Chunks.role(), content("<th"), Chunks.DONE);
        List<Buffer> out = run(new ReasoningSplitter(ReasoningMode.SPLIT), in);
        assertEquals("", field(out.subList(1, 2), 0, "content"), "held while it could be <think>");
        List<String> last = events(out.subList(2, 3));
        assertEquals(2, last.size());
        assertEquals(Chunks.DONE, last.get(1));
        JsonObject made = Chunks.data(last.get(0));
        assertEquals("chatcmpl-test", made.getString("id"));
        assertEquals("chat.completion.chunk", made.getString("object"));
        assertEquals("<th", field(out, 0, "content"));
    }

    @Test
    void toolCallDeltasPassAsTheyCameWhileTextIsHeld() {
        String call = "{\"tool_calls\":[{\"index\":0,\"id\":\"x\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"arguments\":\"{\\\"content\\\":1}\"}}]}";
        List<Buffer> in = buffers(Chunks.role(), content("<think>r</th"), chunk(0, call, "null"),
                chunk(0, "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"}\"}}]}", "null"),
                chunk(0, "{}", "\"tool_calls\""), Chunks.DONE);
        List<Buffer> out = run(new ReasoningSplitter(ReasoningMode.SPLIT), in);
        assertSame(in.get(2), out.get(2));
        assertSame(in.get(3), out.get(3));
        assertEquals("r</th", field(out, 0, "reasoning_content"), "unclosed: the held end goes out with the finish");
        assertEquals("tool_calls", Chunks.data(out.get(4).toString()).getJsonArray("choices").getJsonObject(0)
                .getString("finish_reason"));
    }

    @Test
    void eventsThatAreNotChatContentPassAsTheSameBuffer() {
        ReasoningSplitter splitter = new ReasoningSplitter(ReasoningMode.SPLIT);
        run(splitter, buffers(Chunks.role(), content("<thi"))); // undecided: every event is looked at now
        List<Buffer> odd = buffers(": keep-alive\n\n", "data: {\"error\":{\"code\":500,\"message\":\"content\"}}\n\n",
                "data: {\"content\": broken\n\n", "data: {\"choices\":[],\"usage\":{\"total_tokens\":3}}\n\n",
                "data: {\"choices\":[\n\"content\"]}\n\n", "data: a\ndata: \"content\"\n\n", "event: ping\n\n");
        List<Buffer> out = run(splitter, odd);
        for (int i = 0; i < odd.size(); i++) {
            assertSame(odd.get(i), out.get(i), odd.get(i).toString());
        }
        assertEquals("rest", field(run(splitter, buffers(content("nk>x</think>rest"))), 0, "content"));
    }

    @Test
    void choicesAreSplitEachOnItsOwn() {
        List<Buffer> in = buffers(chunk(0, "{\"content\":\"<thi\"}", "null"), chunk(1, "{\"content\":\"<th\"}", "null"),
                chunk(0, "{\"content\":\"nk>r0</think>c0\"}", "null"), chunk(1, "{\"content\":\"e end\"}", "null"),
                chunk(1, "{}", "\"stop\""), chunk(0, "{}", "\"stop\""), Chunks.DONE);
        List<Buffer> out = run(new ReasoningSplitter(ReasoningMode.SPLIT), in);
        assertEquals("r0", field(out, 0, "reasoning_content"));
        assertEquals("c0", field(out, 0, "content"));
        assertEquals("", field(out, 1, "reasoning_content"));
        assertEquals("<the end", field(out, 1, "content"));
        assertEquals(in.size(), events(out).size());
    }

    @Test
    void reasoningFieldIsRenamedOrStripped() {
        String event = chunk(0, "{\"reasoning\":\"abc\",\"role\":\"assistant\"}", "null");
        Buffer split = new ReasoningSplitter(ReasoningMode.SPLIT).onEvent(Buffer.buffer(event));
        assertEquals("{\"reasoning_content\":\"abc\",\"role\":\"assistant\"}", delta(split).encode());
        Buffer stripped = new ReasoningSplitter(ReasoningMode.STRIP).onEvent(Buffer.buffer(event));
        assertEquals("{\"role\":\"assistant\"}", delta(stripped).encode());
    }

    @Test
    void rewrittenEventsKeepTheirFraming() {
        Buffer in = Buffer.buffer("data:{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"<think>x\"}}]}\r\n\r\n");
        Buffer out = new ReasoningSplitter(ReasoningMode.SPLIT).onEvent(in);
        assertEquals("data:{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"x\"}}]}\r\n\r\n", out.toString());
    }

    private static JsonObject delta(Buffer event) {
        return Chunks.data(event.toString()).getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
    }
}
