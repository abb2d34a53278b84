package dev.switchboard.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.switchboard.json.JsonTrees;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Byte-level look at one SSE event (or a JSON body) for the observers that rewrite or read reasoning: substring checks
 * that decide whether an event is worth parsing at all, and where its single {@code data:} payload sits, so a
 * rewritten event keeps its framing bytes ({@code data: } prefix, line ending, blank line) exactly.
 *
 * <p>The checks run on a copy of the event's bytes ({@link Buffer#getBytes()}, one array copy): a {@code Buffer}
 * read byte by byte goes through Netty's index and reference-count checks on every byte.
 */
final class SseEvents {

    private static final byte[] DATA = ascii("data:");
    private static final byte[] DONE = ascii("[DONE]");

    private SseEvents() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** First index of {@code needle} in {@code buffer} at or after {@code from}, or -1. */
    static int indexOf(byte[] data, byte[] needle, int from) {
        int last = data.length - needle.length;
        byte first = needle[0];
        outer:
        for (int i = Math.max(from, 0); i <= last; i++) {
            if (data[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean contains(byte[] data, byte[] needle) {
        return indexOf(data, needle, 0) >= 0;
    }

    /** Index of the first byte at or after {@code from} that is not JSON whitespace. */
    static int skipSpace(byte[] data, int from) {
        int i = from;
        while (i < data.length) {
            byte b = data[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * Where the payload of the event's only {@code data:} line sits, or null when it has none or several (a multi-line
     * payload is legal SSE, but no chat backend sends one: such an event is passed on untouched).
     */
    static Payload payload(Buffer event, byte[] bytes) {
        int start = -1;
        int end = -1;
        int line = 0;
        int length = bytes.length;
        while (line < length) {
            int next = line;
            while (next < length && bytes[next] != '\n') {
                next++;
            }
            if (startsWith(bytes, line, DATA)) {
                if (start >= 0) {
                    return null;
                }
                start = line + DATA.length;
                if (start < next && bytes[start] == ' ') {
                    start++;
                }
                end = next > start && bytes[next - 1] == '\r' ? next - 1 : next;
            }
            line = next + 1;
        }
        return start < 0 ? null : new Payload(event, bytes, start, Math.max(start, end));
    }

    private static boolean startsWith(byte[] data, int at, byte[] prefix) {
        if (at + prefix.length > data.length) {
            return false;
        }
        for (int j = 0; j < prefix.length; j++) {
            if (data[at + j] != prefix[j]) {
                return false;
            }
        }
        return true;
    }

    /** One event's payload, {@code bytes[start, end)}; {@code bytes} is the event's copy. */
    record Payload(Buffer event, byte[] bytes, int start, int end) {

        boolean isDone() {
            return end - start == DONE.length && startsWith(bytes, start, DONE);
        }

        /** The payload as a JSON object, or null when it is anything else (not JSON, an array, a string...). */
        JsonObject object() {
            if (end - start < 2 || bytes[start] != '{') {
                return null;
            }
            return JsonTrees.parse(Arrays.copyOfRange(bytes, start, end)) instanceof JsonObject object ? object : null;
        }

        /** The same event with {@code json} in place of the payload: prefix and terminator bytes kept. */
        Buffer with(JsonObject json) {
            Buffer out = Buffer.buffer(event.length() + 64);
            out.appendBuffer(event, 0, start);
            out.appendString(JsonTrees.encode(json));
            out.appendBuffer(event, end, event.length() - end);
            return out;
        }
    }
}
