package dev.switchboard.stream;

import static dev.switchboard.stream.Chunks.buffers;
import static dev.switchboard.stream.Chunks.chunk;
import static dev.switchboard.stream.Chunks.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.Recording;
import io.vertx.core.buffer.Buffer;

class ReasoningTapTest {

    private static final String DEEPSEEK = "OREDHyd Meditation devicespack sovere";

    private static ReasoningTap tapStream(int max, List<Buffer> events) {
        ReasoningTap tap = new ReasoningTap(max);
        List<Buffer> out = run(tap, events);
        for (int i = 0; i < events.size(); i++) {
            assertSame(events.get(i), out.get(i), "read-only");
        }
        return tap;
    }

    private static ReasoningTap tapAnswer(int max, String dir, String name) {
        ReasoningTap tap = new ReasoningTap(max);
        Buffer body = Buffer.buffer(Recording.load(dir, name).body());
        assertSame(body, tap.onAnswer(body));
        return tap;
    }

    @Test
    void countsTheReasoningDeltasOfAStream() {
        ReasoningTap tap = tapStream(1000, buffers(Recording.load("think_deepseek_chat_stream").events()));
        assertEquals(DEEPSEEK, tap.text());
        assertEquals(DEEPSEEK.length(), tap.length());
        assertFalse(tap.truncated());
    }

    @Test
    void keepsTheTextUpToItsMaximumAndCountsOn() {
        ReasoningTap tap = tapStream(10, buffers(Recording.load("think_deepseek_chat_stream").events()));
        assertEquals(DEEPSEEK.substring(0, 10), tap.text());
        assertEquals(DEEPSEEK.length(), tap.length());
        assertTrue(tap.truncated());
        ReasoningTap none = tapStream(0, buffers(Recording.load("think_deepseek_chat_stream").events()));
        assertEquals("", none.text());
        assertTrue(none.truncated());
        assertThrows(IllegalArgumentException.class, () -> new ReasoningTap(-1));
    }

    @Test
    void afterASplitterCountsWhatTheSplitterMade() {
        List<Buffer> none = buffers(Recording.load("think_none_chat_stream").events());
        assertEquals(0, tapStream(1000, none).length(), "PASSTHROUGH: the client gets no reasoning field");
        ReasoningSplitter splitter = new ReasoningSplitter(ReasoningMode.SPLIT);
        ReasoningTap tap = tapStream(1000, run(splitter, none));
        assertEquals(DEEPSEEK, tap.text());
    }

    @Test
    void countsAnswersCompactOrPretty() {
        assertEquals(DEEPSEEK, tapAnswer(1000, "llamacpp", "think_deepseek_chat").text());
        assertEquals("The user greets me. A short friendly reply is enough.", tapAnswer(1000, "zen", "chat_glm_reasoning").text());
        ReasoningTap glm = tapStream(1000, buffers(Recording.load("zen", "chat_glm_reasoning_stream_include_usage").events()));
        assertEquals("The user asks for a haiku about rain.", glm.text(), "usage's reasoning_tokens is no text");
        assertEquals(0, tapAnswer(1000, "llamacpp", "think_none_chat").length());
    }

    @Test
    void decodesEscapesAndCountsCodePoints() {
        Buffer event = Buffer.buffer(chunk(0, "{\"reasoning_content\" : \"a\\n\\u00e9\\ud83d\\ude00\\\"\"}", "null"));
        ReasoningTap tap = tapStream(4, List.of(event));
        assertEquals(5, tap.length());
        assertEquals("a\n\u00e9\ud83d\ude00", tap.text(), "cut after whole code points");
        assertEquals("a\n\u00e9", tapStream(3, List.of(event)).text());
    }

    @Test
    void takesReasoningWhereThereIsNoReasoningContent() {
        assertEquals("xy", tapStream(100, buffers(List.of(
                chunk(0, "{\"reasoning\":\"x\"}", "null").getBytes(),
                chunk(0, "{\"reasoning_content\":null,\"reasoning\":\"y\"}", "null").getBytes(),
                chunk(0, "{\"reasoning_content\":\"\",\"reasoning\":\"dup\"}", "null").getBytes(),
                chunk(0, "{\"content\":\"\\\"reasoning\\\":\\\"no\\\"\",\"type\":\"reasoning\"}", "null").getBytes())))
                .text());
    }
}
