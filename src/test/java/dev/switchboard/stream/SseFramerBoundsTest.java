package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/** An event longer than the framer's limit: memory stays bounded, bytes stay whole, and the next event stays whole. */
class SseFramerBoundsTest {

    private static final int LIMIT = 1 << 10;

    @Test
    void aLineOfMegabytesIsPassedOnInBoundedPiecesUnchanged() {
        byte[] line = new byte[8 << 20];
        Arrays.fill(line, (byte) 'x');
        System.arraycopy("data: ".getBytes(StandardCharsets.UTF_8), 0, line, 0, 6);
        List<Buffer> out = new ArrayList<>();
        SseFramer framer = new SseFramer(ObserverChain.MAX_EVENT, out::add);
        int chunk = 64 * 1024;
        for (int i = 0; i < line.length; i += chunk) {
            framer.feed(Buffer.buffer(Arrays.copyOfRange(line, i, Math.min(line.length, i + chunk))));
        }
        framer.feed(Buffer.buffer("\n\ndata: [DONE]\n\n"));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Buffer piece : out) {
            // never more held than the limit and one chunk
            assertTrue(piece.length() <= ObserverChain.MAX_EVENT + chunk, "piece of " + piece.length());
            all.writeBytes(piece.getBytes());
        }
        assertTrue(out.size() > 4, "held whole instead of passed on in pieces");
        byte[] expected = Arrays.copyOf(line, line.length + 16);
        System.arraycopy("\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8), 0, expected, line.length, 16);
        assertArrayEquals(expected, all.toByteArray());
        assertEquals("data: [DONE]\n\n", out.get(out.size() - 1).toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBlankLineCutRightAfterAPieceStillEndsTheEvent() {
        String big = "data: " + "y".repeat(LIMIT + 10);
        for (String[] cut : new String[][] {{"\n", "\n"}, {"\n", "\r\n"}, {"\r\n", "\r\n"}, {"\r\n\r", "\n"}}) {
            List<String> out = new ArrayList<>();
            SseFramer framer = new SseFramer(LIMIT, event -> out.add(event.toString(StandardCharsets.UTF_8)));
            framer.feed(Buffer.buffer(big + cut[0]));
            framer.feed(Buffer.buffer(cut[1] + "data: {\"usage\":{}}\n\n"));
            framer.finish();
            String what = "cut " + Arrays.toString(cut).replace("\r", "\\r").replace("\n", "\\n");
            assertEquals(big + cut[0] + cut[1], String.join("", out.subList(0, out.size() - 1)), what);
            assertEquals("data: {\"usage\":{}}\n\n", out.get(out.size() - 1), what);
        }
    }
}
