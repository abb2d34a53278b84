package dev.switchboard.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

/**
 * A body must be UTF-8 (RFC 8259 §8.1) before it goes anywhere: llama.cpp's parser refuses invalid UTF-8 with an
 * error of its own, and a cloud provider may take the bytes as Latin-1. Jackson's token scan does not decode the
 * string values it skips, and checks only the shape of their multi-byte sequences.
 */
class RequestPeekUtf8Test {

    /** {"model":"tiny","messages":[{"role":"user","content":"a<bad>b"}]} with raw bytes in place of {@code <bad>}. */
    private static Buffer withBytesInContent(int... bad) {
        return with("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"a", "b\"}]}", bad);
    }

    private static Buffer with(String before, String after, int... bad) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        for (int b : bad) {
            out.write(b);
        }
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return Buffer.buffer(out.toByteArray());
    }

    private static void refused(Buffer body, String what) {
        String message = assertThrows(RequestPeek.BadRequest.class, () -> RequestPeek.of(body), what).getMessage();
        assertTrue(message.contains("UTF-8"), what + ": " + message);
    }

    @Test
    void refusesInvalidUtf8InsideSkippedStrings() {
        refused(withBytesInContent(0x80), "a lone continuation byte");
        refused(withBytesInContent(0xFF), "0xFF, never in UTF-8");
        refused(withBytesInContent(0xC3), "a two-byte lead without its continuation");
        refused(withBytesInContent(0xE2, 0x82), "a three-byte sequence cut short");
        refused(withBytesInContent(0xC0, 0xAF), "an overlong '/'");
        refused(withBytesInContent(0xE0, 0x80, 0xAF), "an overlong three-byte '/'");
        refused(withBytesInContent(0xED, 0xA0, 0x80), "a UTF-16 surrogate encoded as UTF-8 (CESU-8)");
        refused(withBytesInContent(0xF4, 0x90, 0x80, 0x80), "a code point past U+10FFFF");
        refused(withBytesInContent(0xF5, 0x80, 0x80, 0x80), "0xF5, a lead byte UTF-8 never uses");
    }

    @Test
    void refusesInvalidUtf8InNamesAndTopLevelValues() {
        refused(with("{\"", "\":1,\"messages\":[]}", 0xFF), "in a field name");
        refused(with("{\"x\":\"", "\",\"messages\":[]}", 0xC0, 0xAF), "in a skipped top-level string");
        refused(with("{\"model\":\"", "\",\"messages\":[]}", 0xED, 0xBF, 0xBF), "in the model");
        refused(with("{\"messages\":[],\"extra\":{\"k\":[\"", "\"]}}", 0x80), "deep inside a skipped value");
    }

    @Test
    void acceptsEveryValidSequence() throws Exception {
        // 2, 3 and 4 bytes, the highest code point, the last before and first after the surrogates
        String text = "h\u00e9llo \u20ac \ud83d\ude00 \udbff\udfff \ud7ff \ue000";
        Buffer body = Buffer.buffer(("{\"model\":\"t\u00e9\",\"messages\":[{\"content\":\"" + text + "\"}]}")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("t\u00e9", RequestPeek.of(body).model());
    }
}
