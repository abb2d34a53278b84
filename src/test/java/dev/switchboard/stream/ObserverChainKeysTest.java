package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The pre-check that lets most stream events pass without any observer being called. */
class ObserverChainKeysTest {

    private static final byte[][] KEYS = {bytes("\"usage\""), bytes("\"timings\""), bytes("\"reasoning")};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean has(String event) {
        byte[] b = bytes(event);
        return ObserverChain.containsKey(b, 0, b.length, KEYS);
    }

    @Test
    void findsEachKeyAnywhereAndOnlyAsAQuotedKey() {
        assertTrue(has("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3}}\n\n"));
        assertTrue(has("data: {\"timings\":{}}\n\n"));
        assertTrue(has("data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"hm\"}}]}\n\n"));
        assertTrue(has("data: {\"choices\":[{\"delta\":{\"reasoning\":\"hm\"}}]}\n\n"));
        assertFalse(has("data: {\"choices\":[{\"delta\":{\"content\":\"usage timings reasoning\"}}]}\n\n"));
        assertFalse(has("data: {\"choices\":[{\"delta\":{\"content\":\"\\\"usag\"}}]}\n\n"));
        assertFalse(has("data: [DONE]\n\n"));
    }

    @Test
    void aKeyCutByTheEndOfTheRangeIsNotFound() {
        byte[] b = bytes("xx\"usage\"");
        assertFalse(ObserverChain.containsKey(b, 0, b.length - 1, KEYS));
        assertTrue(ObserverChain.containsKey(b, 0, b.length, KEYS));
        assertFalse(ObserverChain.containsKey(b, 3, b.length, KEYS));
    }

    @Test
    void aChunkEndsAnEventOnlyAtABlankLine() {
        assertTrue(ObserverChain.endsWithBlankLine(io.vertx.core.buffer.Buffer.buffer("data: x\n\n")));
        assertTrue(ObserverChain.endsWithBlankLine(io.vertx.core.buffer.Buffer.buffer("data: x\r\n\r\n")));
        assertFalse(ObserverChain.endsWithBlankLine(io.vertx.core.buffer.Buffer.buffer("data: x\n")));
        assertFalse(ObserverChain.endsWithBlankLine(io.vertx.core.buffer.Buffer.buffer("data: x\n\r\n")));
        assertFalse(ObserverChain.endsWithBlankLine(io.vertx.core.buffer.Buffer.buffer("\n")));
    }

    @Test
    void usageTapAndReasoningTapDeclareTheKeysTheyNeed() {
        assertEquals(2, new UsageTap(false, false).eventKeys().length);
        assertEquals(3, new UsageTap(true, false).eventKeys().length); // and the finish chunk it may hold
        assertEquals(1, new ReasoningTap(10).eventKeys().length);
        assertEquals(null, new ReasoningSplitter(ReasoningMode.SPLIT).eventKeys());
    }
}
