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
 *
 * <p>Each chunk is copied out once and scanned as an array: reading a {@link Buffer} byte by byte costs a bounds and
 * reference-count check per byte, which made framing cost about a microsecond per event (measured). The array is
 * handed on with the event so observers can look at it without another copy.
 */
public final class SseFramer {

    /** Receives each event: the event itself and, for looking without copying, the array holding its bytes. */
    public interface Events {
        void event(Buffer event, byte[] bytes, int from, int to);
    }

    /** The most bytes of a blank line ({@code \r\n\r\n}) that can come before a cut between chunks. */
    private static final int TERMINATOR_SPLIT = 3;

    private final int maxEvent;
    private final Events events;
    private Buffer pending;
    /** How many bytes at the end of {@code pending} were already scanned for a terminator. */
    private int scanned;

    public SseFramer(int maxEvent, Events events) {
        this.maxEvent = maxEvent;
        this.events = events;
    }

    public SseFramer(int maxEvent, Consumer<Buffer> events) {
        this(maxEvent, (event, bytes, from, to) -> events.accept(event));
    }

    /** Whether no unfinished event is held: the next chunk starts a new event. */
    public boolean idle() {
        return pending == null;
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
        byte[] bytes = data.getBytes();
        int start = 0;
        int length = bytes.length;
        for (int i = Math.max(from, 1); i < length; i++) {
            if (bytes[i] == '\n' && endsBlankLine(bytes, start, i)) {
                events.event(start == 0 && i + 1 == length ? data : data.slice(start, i + 1), bytes, start, i + 1);
                start = i + 1;
            }
        }
        if (start < length) {
            if (length - start > maxEvent) {
                // passed on but for its last bytes: a blank line may begin there and end in the next chunk
                int end = Math.max(start, length - TERMINATOR_SPLIT);
                if (end > start) {
                    events.event(data.slice(start, end), bytes, start, end);
                }
                pending = data.getBuffer(end, length);
                scanned = length - end;
            } else {
                // a copy: the chunk's buffer is appended to when the rest arrives
                pending = data.getBuffer(start, length);
                scanned = pending.length();
            }
        }
    }

    /** The backend's body ended: whatever is held (an event without its blank line) goes out as it is. */
    public void finish() {
        if (pending != null) {
            Buffer rest = pending;
            pending = null;
            byte[] bytes = rest.getBytes();
            events.event(rest, bytes, 0, bytes.length);
        }
    }

    /** {@code i} holds {@code \n}: is it the end of an empty line, after {@code \n} or {@code \n\r}? */
    private static boolean endsBlankLine(byte[] data, int start, int i) {
        byte before = data[i - 1];
        if (before == '\n') {
            return i - 1 >= start;
        }
        return before == '\r' && i >= 2 && i - 2 >= start && data[i - 2] == '\n';
    }
}
