package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.Recording;
import io.vertx.core.buffer.Buffer;

/** What the tap reads from the recorded answers, and that it passes the stream on untouched but for the usage event. */
class UsageTapTest {

    /** The recorded body cut into events by SseFramer, fed in 7-byte chunks so that events straddle chunks. */
    static List<Buffer> events(Recording recording) {
        List<Buffer> events = new ArrayList<>();
        SseFramer framer = new SseFramer(1 << 20, events::add);
        byte[] body = recording.body();
        for (int i = 0; i < body.length; i += 7) {
            framer.feed(Buffer.buffer(Arrays.copyOfRange(body, i, Math.min(body.length, i + 7))));
        }
        framer.finish();
        return events;
    }

    /** What the client gets: each event through the tap, dropped ones left out. */
    static List<Buffer> relay(UsageTap tap, List<Buffer> events) {
        List<Buffer> out = new ArrayList<>();
        for (Buffer event : events) {
            Buffer sent = tap.onEvent(event);
            if (sent.length() > 0) {
                out.add(sent);
            }
        }
        Buffer held = tap.flush();
        if (held.length() > 0) {
            out.add(held);
        }
        tap.onEnd(true);
        return out;
    }

    static Usage answer(String dir, String name) {
        UsageTap tap = new UsageTap(false, false);
        Buffer body = Buffer.buffer(Recording.load(dir, name).body());
        assertSame(body, tap.onAnswer(body));
        tap.onEnd(true);
        return tap.usage();
    }

    static Usage streamed(String dir, String name, boolean drop) {
        UsageTap tap = new UsageTap(drop, false);
        relay(tap, events(Recording.load(dir, name)));
        return tap.usage();
    }

    @Test
    void llamaCppChatAnswer() {
        assertEquals(new Usage(27, 6, 33, 0, -1, 596.4214711729621), answer("llamacpp", "chat_basic"));
    }

    @Test
    void llamaCppReportsCachedTokensOnlyAsTimingsCacheN() {
        assertEquals(new Usage(54, 3, 57, 9, -1, 480.7692307692307), answer("llamacpp", "chat_cached_tokens_1"));
        assertEquals(new Usage(54, 8, 62, 42, -1, 841.5737428992215), answer("llamacpp", "chat_cached_tokens_2"));
    }

    @Test
    void embeddingsReportPromptAndTotalOnly() {
        assertEquals(new Usage(4, -1, 4, -1, -1, -1), answer("llamacpp", "embeddings_float_single"));
        assertEquals(new Usage(10, -1, 10, -1, -1, -1), answer("llamacpp", "embeddings_float_array"));
        assertEquals(new Usage(4, -1, 4, -1, -1, -1), answer("llamacpp", "embeddings_base64_single"));
        assertEquals(new Usage(10, -1, 10, -1, -1, -1), answer("llamacpp", "embeddings_base64_array"));
    }

    @Test
    void cloudAnswerWithCachedAndReasoningTokens() {
        assertEquals(new Usage(1204, 31, 1235, 1152, 18, -1), answer("zen", "chat_glm_reasoning"));
    }

    @Test
    void chatStreamWithoutUsageStillHasTheTimingsOfItsLastChunk() {
        assertEquals(new Usage(-1, -1, -1, 5, -1, 520.0208008320333), streamed("llamacpp", "chat_stream", true));
    }

    @Test
    void completionsStreamsCarryUsageInTheFinishChunk() {
        Usage expected = new Usage(4, 11, 15, 3, -1, 411.2918302486446);
        assertEquals(expected, streamed("llamacpp", "completions_stream_include_usage", false));
        assertEquals(new Usage(4, 11, 15, 3, -1, 2876.5690376569037),
                streamed("llamacpp", "completions_stream", true));
    }

    @Test
    void aClientThatDidNotAskGetsThePlainStreamByteForByte() {
        Recording asked = Recording.load("chat_stream_include_usage");
        List<Buffer> in = events(asked);
        UsageTap tap = new UsageTap(true, false);
        List<Buffer> out = relay(tap, in);

        assertEquals(new Usage(37, 11, 48, 36, -1, 72.96800684572572), tap.usage());
        int usageEvent = 12;
        assertTrue(asked.event(usageEvent).startsWith("data: {\"choices\":[],"));
        List<String> expected = new ArrayList<>(asked.events().stream().map(UsageTapTest::text).toList());
        String usage = expected.remove(usageEvent);
        // llama.cpp moves the timings to the usage event when asked for usage: they go back on the finish chunk
        String timings = usage.substring(usage.indexOf(",\"timings\":"), usage.lastIndexOf('}'));
        String finish = expected.get(usageEvent - 1);
        int close = finish.lastIndexOf('}');
        expected.set(usageEvent - 1, finish.substring(0, close) + timings + finish.substring(close));
        assertEquals(expected, out.stream().map(b -> text(b.getBytes())).toList());
        // what a client that never asked gets from llama.cpp: the same events, ids and timings' values aside
        List<String> plain = Recording.load("chat_stream").events().stream().map(UsageTapTest::text).toList();
        assertEquals(plain.stream().map(UsageTapTest::shape).toList(), expected.stream().map(UsageTapTest::shape).toList());
    }

    @Test
    void aClientThatAskedGetsEveryEventAsTheSameBuffer() {
        List<Buffer> in = events(Recording.load("chat_stream_include_usage"));
        UsageTap tap = new UsageTap(false, false);
        for (Buffer event : in) {
            assertSame(event, tap.onEvent(event));
        }
        tap.onEnd(true);
        assertEquals(new Usage(37, 11, 48, 36, -1, 72.96800684572572), tap.usage());
        assertFalse(tap.rewritesAnswers());
    }

    @Test
    void cloudStreamUsageEventIsDroppedAndTheFinishChunkKept() {
        Recording zen = Recording.load("zen", "chat_glm_reasoning_stream_include_usage");
        List<Buffer> in = events(zen);
        UsageTap tap = new UsageTap(true, false);
        List<Buffer> out = relay(tap, in);
        assertEquals(new Usage(22, 40, 62, 0, 12, -1), tap.usage());
        assertEquals(in.size() - 1, out.size());
        assertTrue(text(out.get(out.size() - 2).getBytes()).contains("\"finish_reason\": \"stop\""));
        assertFalse(out.stream().anyMatch(b -> text(b.getBytes()).contains("usage")));
    }

    @Test
    void theCompletionsFinishChunkKeepsItsUsageWhenTheClientDidNotAsk() {
        List<Buffer> in = events(Recording.load("completions_stream"));
        UsageTap tap = new UsageTap(true, false);
        for (Buffer event : in) {
            assertSame(event, tap.onEvent(event));
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** An event without what differs between two runs of the same request: the id and llama.cpp's timings. */
    private static String shape(String event) {
        return event.replaceAll("chatcmpl-[A-Za-z0-9]+", "chatcmpl-ID").replaceAll(",\"timings\":\\{[^}]*}", ",\"timings\":{}");
    }
}
