package dev.switchboard.stream;

import static dev.switchboard.stream.Chunks.buffers;
import static dev.switchboard.stream.Chunks.events;
import static dev.switchboard.stream.Chunks.field;
import static dev.switchboard.stream.Chunks.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.switchboard.testsupport.Recording;
import io.vertx.core.buffer.Buffer;

/** Recorded streams: llama.cpp's {@code none} format split must read like its {@code deepseek} format. */
class ReasoningSplitterStreamTest {

    private static List<Buffer> recorded(String dir, String name) {
        return buffers(Recording.load(dir, name).events());
    }

    private static void assertClientReads(List<Buffer> expected, List<Buffer> actual) {
        assertEquals(field(expected, 0, "reasoning_content"), field(actual, 0, "reasoning_content"), "reasoning");
        assertEquals(field(expected, 0, "content"), field(actual, 0, "content"), "content");
    }

    /** Same number of events, each one event, and every field but the deltas as the backend sent it. */
    private static void assertSameShape(List<Buffer> in, List<Buffer> out) {
        assertEquals(in.size(), out.size());
        assertEquals(in.size(), events(out).size());
        for (int i = 0; i < in.size(); i++) {
            String before = in.get(i).toString(StandardCharsets.UTF_8);
            String after = out.get(i).toString(StandardCharsets.UTF_8);
            if (Chunks.data(before) == null) {
                assertSame(in.get(i), out.get(i), before);
            } else {
                assertEquals(Chunks.withoutDeltas(Chunks.data(before)), Chunks.withoutDeltas(Chunks.data(after)), after);
            }
        }
    }

    @Test
    void noneSplitReadsLikeDeepseek() {
        List<Buffer> in = recorded("llamacpp", "think_none_chat_stream");
        ReasoningSplitter splitter = new ReasoningSplitter(ReasoningMode.SPLIT);
        List<Buffer> out = run(splitter, in);
        assertClientReads(recorded("llamacpp", "think_deepseek_chat_stream"), out);
        assertSameShape(in, out);
        assertEquals("OREDHyd Meditation devicespack sovere", field(out, 0, "reasoning_content"));
        assertSame(in.get(0), out.get(0), "role chunk");
        for (int i = 10; i < in.size(); i++) { // " making", finish, [DONE]: decided, so not even parsed
            assertSame(in.get(i), out.get(i), in.get(i).toString());
        }
    }

    @Test
    void decidedChoicesAreNotParsedAgain() {
        List<Buffer> in = recorded("llamacpp", "think_none_chat_stream");
        ReasoningSplitter splitter = new ReasoningSplitter(ReasoningMode.SPLIT);
        run(splitter, in.subList(0, 10)); // up to the "\n\n" after </think>
        int parsed = splitter.parsed;
        List<Buffer> later = new ArrayList<>(in.subList(10, in.size()));
        later.add(1, Buffer.buffer(Chunks.content("<think>no longer at the start</think>")));
        List<Buffer> out = run(splitter, later);
        assertEquals(parsed, splitter.parsed);
        for (int i = 0; i < later.size(); i++) {
            assertSame(later.get(i), out.get(i));
        }
    }

    @ParameterizedTest(name = "{0} byte chunks")
    @ValueSource(ints = {1, 5, 64, 100_000})
    void framedFromRawBytesReadsTheSame(int size) {
        byte[] body = Recording.load("think_none_chat_stream").body();
        List<Buffer> out = Chunks.framed(new ReasoningSplitter(ReasoningMode.SPLIT), body, size);
        assertClientReads(recorded("llamacpp", "think_deepseek_chat_stream"), out);
        assertEquals(Recording.load("think_none_chat_stream").eventCount(), events(out).size());
    }

    @Test
    void unclosedIsAllReasoning() {
        // think_none_unclosed's tokens, streamed: what llama.cpp's deepseek format streamed for the same request
        List<Buffer> in = Chunks.stream(List.of("<think>", " Meadow", " Jensen", "516", " continually", "Bed",
                " Questions", " cipher"));
        List<Buffer> out = run(new ReasoningSplitter(ReasoningMode.SPLIT), in);
        assertClientReads(recorded("llamacpp", "think_deepseek_unclosed_stream"), out);
        assertSameShape(in, out);
        List<Buffer> stripped = run(new ReasoningSplitter(ReasoningMode.STRIP), in);
        assertEquals("", field(stripped, 0, "reasoning_content") + field(stripped, 0, "content"));
    }

    @ParameterizedTest
    @CsvSource({"llamacpp, think_deepseek_chat_stream", "llamacpp, think_deepseek_unclosed_stream",
        "llamacpp, think_deepseek_tools_required_stream", "llamacpp, think_auto_chat_stream",
        "llamacpp, think_none_tools_required_stream", "llamacpp, chat_stream_include_usage",
        "llamacpp, completions_stream", "llamacpp, error_chat_stream_midstream_parse_failure",
        "zen, chat_glm_reasoning_stream_include_usage"})
    void splitPassesStreamsWithoutThinkTagsByteForByte(String dir, String name) {
        List<Buffer> in = recorded(dir, name);
        List<Buffer> out = run(new ReasoningSplitter(ReasoningMode.SPLIT), in);
        for (int i = 0; i < in.size(); i++) {
            assertSame(in.get(i), out.get(i), in.get(i).toString());
        }
    }

    @ParameterizedTest
    @CsvSource({"llamacpp, think_deepseek_chat_stream", "llamacpp, think_deepseek_tools_required_stream",
        "llamacpp, think_none_tools_required_stream", "zen, chat_glm_reasoning_stream_include_usage"})
    void stripRemovesReasoningAndKeepsTheRest(String dir, String name) {
        List<Buffer> in = recorded(dir, name);
        List<Buffer> out = run(new ReasoningSplitter(ReasoningMode.STRIP), in);
        assertSameShape(in, out);
        assertEquals(field(in, 0, "content"), field(out, 0, "content"));
        assertEquals("", field(out, 0, "reasoning_content"));
        for (int i = 0; i < in.size(); i++) {
            String event = in.get(i).toString(StandardCharsets.UTF_8);
            if (!reasoningField(event)) { // tool-call deltas, finish, usage chunk (its reasoning_tokens stay), [DONE]
                assertSame(in.get(i), out.get(i), event);
            } else {
                assertFalse(reasoningField(out.get(i).toString(StandardCharsets.UTF_8)));
            }
        }
    }

    private static boolean reasoningField(String event) {
        return event.contains("\"reasoning_content\"") || event.contains("\"reasoning\"");
    }
}
