package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.Recording;
import io.vertx.core.buffer.Buffer;

class SseFramerTest {

    /** Three events: LF-terminated, CRLF-terminated, a comment, and the end marker, as a backend may mix them. */
    static final List<String> EVENTS = List.of(
            "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n",
            "event: message\r\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\\n\\nworld\"}}]}\r\n\r\n",
            ": keep-alive\n\n",
            "data: [DONE]\n\n");
    static final String STREAM = String.join("", EVENTS);

    /** What the framer emits for {@code chunks}, finish() included, as strings. */
    static List<String> frame(int maxEvent, String... chunks) {
        List<String> out = new ArrayList<>();
        SseFramer framer = new SseFramer(maxEvent, event -> out.add(event.toString(StandardCharsets.UTF_8)));
        for (String chunk : chunks) {
            framer.feed(Buffer.buffer(chunk.getBytes(StandardCharsets.UTF_8)));
        }
        framer.finish();
        return out;
    }

    @Test
    void wholeStreamInOneChunkGivesEachEventWithItsTerminator() {
        assertEquals(EVENTS, frame(1 << 16, STREAM));
    }

    @Test
    void everySplitIntoTwoChunksGivesTheSameEvents() {
        for (int i = 0; i <= STREAM.length(); i++) {
            assertEquals(EVENTS, frame(1 << 16, STREAM.substring(0, i), STREAM.substring(i)), "split at " + i);
        }
    }

    @Test
    void everySplitIntoThreeChunksGivesTheSameEvents() {
        for (int i = 0; i <= STREAM.length(); i++) {
            for (int j = i; j <= STREAM.length(); j++) {
                assertEquals(EVENTS, frame(1 << 16, STREAM.substring(0, i), STREAM.substring(i, j),
                        STREAM.substring(j)), "split at " + i + " and " + j);
            }
        }
    }

    @Test
    void byteByByteGivesTheSameEvents() {
        assertEquals(EVENTS, frame(1 << 16, STREAM.split("")));
    }

    @Test
    void crlfTerminatorsEndEventsWhereverTheyAreCut() {
        String crlf = "data: a\r\n\r\ndata: b\r\ndata: c\r\n\r\n";
        List<String> expected = List.of("data: a\r\n\r\n", "data: b\r\ndata: c\r\n\r\n");
        assertEquals(expected, frame(1024, crlf));
        for (int i = 0; i <= crlf.length(); i++) {
            assertEquals(expected, frame(1024, crlf.substring(0, i), crlf.substring(i)), "split at " + i);
        }
    }

    @Test
    void aSingleLineEndIsNotTheEndOfAnEvent() {
        assertEquals(List.of("data: a\ndata: b\n\n"), frame(1024, "data: a\n", "data: b\n", "\n"));
        assertEquals(List.of("data: a\r\ndata: b\r\n\r\n"), frame(1024, "data: a\r\n", "data: b\r\n", "\r\n"));
    }

    @Test
    void anEventLargerThanMaxEventPassesInPiecesAndNothingIsLost() {
        String big = "data: " + "x".repeat(300) + "\n\n";
        String stream = "data: small\n\n" + big + "data: after\n\n";
        List<String> out = frame(64, stream.substring(0, 100), stream.substring(100, 250), stream.substring(250));
        assertEquals(stream, String.join("", out));
        assertEquals("data: small\n\n", out.get(0));
        assertEquals("data: after\n\n", out.get(out.size() - 1), "framing resumes after the big event: " + out);
        assertTrue(out.size() > 3, "the big event went out in pieces: " + out);
        for (int i = 0; i <= stream.length(); i++) {
            for (int max : new int[] {0, 1, 7, 64, 1000}) {
                assertEquals(stream, String.join("", frame(max, stream.substring(0, i), stream.substring(i))),
                        "split at " + i + ", maxEvent " + max);
            }
        }
    }

    @Test
    void finishFlushesAnUnterminatedTail() {
        assertEquals(List.of("data: a\n\n", "data: b"), frame(1024, "data: a\n\nda", "ta: b"));
        assertEquals(List.of("data: c\n"), frame(1024, "data: c\n"));
        assertEquals(List.of(), frame(1024));
        assertEquals(List.of(), frame(1024, ""));
    }

    @Test
    void finishWithNothingHeldEmitsNothingAndMayBeCalledTwice() {
        List<String> out = new ArrayList<>();
        SseFramer framer = new SseFramer(1024, event -> out.add(event.toString(StandardCharsets.UTF_8)));
        framer.feed(Buffer.buffer("data: a\n\ndata: b"));
        framer.finish();
        framer.finish();
        assertEquals(List.of("data: a\n\n", "data: b"), out);
    }

    @Test
    void aHeldTailIsACopyTheCallerMayReuseItsChunk() {
        List<String> out = new ArrayList<>();
        SseFramer framer = new SseFramer(1024, event -> out.add(event.toString(StandardCharsets.UTF_8)));
        Buffer chunk = Buffer.buffer("data: a");
        framer.feed(chunk);
        chunk.setBytes(0, "XXXXXXX".getBytes(StandardCharsets.US_ASCII));
        framer.feed(Buffer.buffer("\n\n"));
        assertEquals(List.of("data: a\n\n"), out);
    }

    @Test
    void theArrayHandedOnWithAnEventHoldsItsBytes() {
        List<String> seen = new ArrayList<>();
        SseFramer framer = new SseFramer(1024, (SseFramer.Events) (event, bytes, from, to) -> {
            assertEquals(event.toString(StandardCharsets.UTF_8), new String(bytes, from, to - from, StandardCharsets.UTF_8));
            seen.add(event.toString(StandardCharsets.UTF_8));
        });
        for (int i = 0; i < STREAM.length(); i += 10) {
            framer.feed(Buffer.buffer(STREAM.substring(i, Math.min(i + 10, STREAM.length()))));
        }
        framer.feed(Buffer.buffer("data: tail"));
        framer.finish();
        assertEquals(STREAM + "data: tail", String.join("", seen));
    }

    @Test
    void aRecordedLlamaCppStreamComesOutEventByEventUnchanged() {
        byte[] body = Recording.load("chat_stream").body();
        String text = new String(body, StandardCharsets.UTF_8);
        List<String> whole = frame(1 << 16, text);
        assertEquals(text, String.join("", whole));
        assertTrue(whole.size() > 3, whole.toString());
        for (String event : whole) {
            assertTrue(event.endsWith("\n\n"), event);
        }
        for (int i = 0; i <= text.length(); i += 7) {
            assertEquals(whole, frame(1 << 16, text.substring(0, i), text.substring(i)), "split at " + i);
        }
    }
}
