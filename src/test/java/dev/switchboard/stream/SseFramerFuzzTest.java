package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Tag;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.vertx.core.buffer.Buffer;

/**
 * Whatever the bytes and however they are cut into chunks, the framer's output put together is the input, byte for
 * byte, with no empty piece, and the array handed on with each piece holds the same bytes; while no event outgrows
 * {@code maxEvent}, the pieces are exactly the events, cut where a plain reading of the stream cuts them. Seeds: {@code SseFramerFuzzTestInputs/frame/}.
 */
@Tag("fuzz")
class SseFramerFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void frame(FuzzedDataProvider data) {
        int maxEvent = data.consumeInt(0, 300);
        int[] sizes = new int[data.consumeInt(1, 8)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = data.consumeInt(0, 40);
        }
        byte[] stream = data.consumeRemainingAsBytes();

        List<byte[]> out = new ArrayList<>();
        SseFramer framer = new SseFramer(maxEvent, (SseFramer.Events) (event, bytes, from, to) -> {
            byte[] piece = event.getBytes();
            assertArrayEquals(piece, Arrays.copyOfRange(bytes, from, to), "the array handed on differs from the event");
            out.add(piece);
        });
        int at = 0;
        for (int i = 0; at < stream.length; i++) {
            int size = Math.min(sizes[i % sizes.length], stream.length - at);
            if (size == 0 && i >= sizes.length) {
                size = stream.length - at; // only empty chunks left to cycle through: send the rest
            }
            framer.feed(Buffer.buffer(Arrays.copyOfRange(stream, at, at + size)));
            at += size;
        }
        framer.finish();

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] piece : out) {
            assertTrue(piece.length > 0, "an empty piece went out");
            joined.writeBytes(piece);
        }
        assertArrayEquals(stream, joined.toByteArray(), "output put together differs from the input");
        if (stream.length <= maxEvent) {
            List<byte[]> events = events(stream);
            assertEquals(events.size(), out.size(), "number of events");
            for (int i = 0; i < events.size(); i++) {
                assertArrayEquals(events.get(i), out.get(i), "event " + i);
            }
        }
    }

    /** The stream cut after every blank line ({@code \n\n}, or {@code \n\r\n} as in CRLF), the rest last. */
    static List<byte[]> events(byte[] stream) {
        List<byte[]> events = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < stream.length; i++) {
            boolean blankLine = stream[i] == '\n'
                    && ((i - 1 >= start && stream[i - 1] == '\n')
                    || (i - 2 >= start && stream[i - 1] == '\r' && stream[i - 2] == '\n'));
            if (blankLine) {
                events.add(Arrays.copyOfRange(stream, start, i + 1));
                start = i + 1;
            }
        }
        if (start < stream.length) {
            events.add(Arrays.copyOfRange(stream, start, stream.length));
        }
        return events;
    }
}
