package dev.switchboard.stream;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into whole SSE events, whatever the chunking: an event ends at a blank line ({@code \n\n} or
 * {@code \r\n\r\n}); the bytes of an event cut across chunks are held until it ends. Each event goes out as the bytes
 * received, terminator included, so a stream whose observers change nothing reaches the client byte for byte.
 *
 * <p>An event longer than {@code maxEvent} is let through in pieces rather than held: observers then see bytes they
 * cannot parse and pass them on unchanged, and memory stays bounded whatever the backend sends.
 */
public final class SseFramer {

    private final int maxEvent;
    private final Consumer<Buffer> events;
    private Buffer pending;
    /** How many bytes at the end of {@code pending} were already scanned for a terminator. */
    private int scanned;

    public SseFramer(int maxEvent, Consumer<Buffer> events) {
        this.maxEvent = maxEvent;
        this.events = events;
    }

    /** Takes the next chunk from the backend; emits every event it completes. */
    public void feed(Buffer chunk) {
        Buffer data;
        int from;
        if (pending == null) {
            data = chunk;
            from = 0;
        } else {
            from = Math.max(0, scanned - 3); // a terminator may straddle the old and new bytes
            data = pending.appendBuffer(chunk);
            pending = null;
        }
        int start = 0;
        int length = data.length();
        for (int i = Math.max(from, 1); i < length; i++) {
            if (data.getByte(i) == '\n' && endsBlankLine(data, start, i)) {
                events.accept(start == 0 && i + 1 == length ? data : data.slice(start, i + 1));
                start = i + 1;
            }
        }
        if (start < length) {
            Buffer rest = start == 0 ? data : data.getBuffer(start, length);
            if (rest.length() > maxEvent) {
                events.accept(rest);
            } else {
                pending = start == 0 && data == chunk ? chunk.copy() : rest;
                scanned = pending.length();
            }
        }
    }

    /** The backend's body ended: whatever is held (an event without its blank line) goes out as it is. */
    public void finish() {
        if (pending != null) {
            Buffer rest = pending;
            pending = null;
            events.accept(rest);
        }
    }

    /** {@code i} holds {@code \n}: is it the end of an empty line, after {@code \n} or {@code \n\r}? */
    private static boolean endsBlankLine(Buffer data, int start, int i) {
        byte before = data.getByte(i - 1);
        if (before == '\n') {
            return i - 1 >= start;
        }
        return before == '\r' && i >= 2 && i - 2 >= start && data.getByte(i - 2) == '\n';
    }
}
