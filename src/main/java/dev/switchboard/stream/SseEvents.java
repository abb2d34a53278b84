package dev.switchboard.stream;

import java.nio.charset.StandardCharsets;

import dev.switchboard.json.JsonTrees;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Byte-level look at one SSE event (or a JSON body) for the observers that rewrite or read reasoning: substring checks
 * that decide whether an event is worth parsing at all, and where its single {@code data:} payload sits, so a
 * rewritten event keeps its framing bytes ({@code data: } prefix, line ending, blank line) exactly.
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
    static int indexOf(Buffer buffer, byte[] needle, int from) {
        int last = buffer.length() - needle.length;
        byte first = needle[0];
        outer:
        for (int i = Math.max(from, 0); i <= last; i++) {
            if (buffer.getByte(i) != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (buffer.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean contains(Buffer buffer, byte[] needle) {
        return indexOf(buffer, needle, 0) >= 0;
    }

    /** Index of the first byte at or after {@code from} that is not JSON whitespace. */
    static int skipSpace(Buffer buffer, int from) {
        int i = from;
        while (i < buffer.length()) {
            byte b = buffer.getByte(i);
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
    static Payload payload(Buffer event) {
        int start = -1;
        int end = -1;
        int line = 0;
        int length = event.length();
        while (line < length) {
            int next = line;
            while (next < length && event.getByte(next) != '\n') {
                next++;
            }
            if (startsWith(event, line, DATA)) {
                if (start >= 0) {
                    return null;
                }
                start = line + DATA.length;
                if (start < next && event.getByte(start) == ' ') {
                    start++;
                }
                end = next > start && event.getByte(next - 1) == '\r' ? next - 1 : next;
            }
            line = next + 1;
        }
        return start < 0 ? null : new Payload(event, start, Math.max(start, end));
    }

    private static boolean startsWith(Buffer buffer, int at, byte[] prefix) {
        if (at + prefix.length > buffer.length()) {
            return false;
        }
        for (int j = 0; j < prefix.length; j++) {
            if (buffer.getByte(at + j) != prefix[j]) {
                return false;
            }
        }
        return true;
    }

    /** One event's payload bytes {@code [start, end)}. */
    record Payload(Buffer event, int start, int end) {

        boolean isDone() {
            return end - start == DONE.length && startsWith(event, start, DONE);
        }

        /** The payload as a JSON object, or null when it is anything else (not JSON, an array, a string...). */
        JsonObject object() {
            if (end - start < 2 || event.getByte(start) != '{') {
                return null;
            }
            return JsonTrees.parse(event.getBytes(start, end)) instanceof JsonObject object ? object : null;
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
