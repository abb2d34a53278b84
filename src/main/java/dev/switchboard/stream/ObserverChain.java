package dev.switchboard.stream;

import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Runs an answer through its observers on the way to the client. A stream is cut into events ({@link SseFramer})
 * and each event passes every observer in turn before it is written. A JSON answer goes out as it arrives while
 * read-only observers get a copy at the end; when an observer rewrites answers, the answer is held whole and written
 * once, with its new length.
 */
public final class ObserverChain {

    /** Events longer than this are relayed in pieces, unobserved, so memory stays bounded (usage events are small). */
    static final int MAX_EVENT = 1 << 20;
    /** A JSON answer longer than this is relayed without being observed (large embedding batches). */
    static final int MAX_ANSWER = 8 << 20;

    private final List<StreamObserver> observers;
    private final HttpServerResponse out;
    private final SseFramer framer;
    private boolean hold;
    private Buffer answer;
    /** While a chunk is being framed: its events' output, written once at the end of the chunk. */
    private boolean batching;
    private Buffer batch;
    /** Whether {@link #batch} is a buffer of ours (appendable) rather than an event we were given. */
    private boolean batchOwned;
    /** The keys that make an event worth observing; null: every event is. */
    private final byte[][] keys;

    private ObserverChain(List<StreamObserver> observers, boolean sse, HttpServerResponse out) {
        this.observers = observers;
        this.out = out;
        this.framer = sse ? new SseFramer(MAX_EVENT, this::event) : null;
        this.keys = keysOf(observers);
        this.hold = !sse && observers.stream().anyMatch(StreamObserver::rewritesAnswers);
        this.answer = sse ? null : Buffer.buffer();
    }

    /** Null when there is nothing to observe: the caller keeps its plain byte pipe. */
    public static ObserverChain of(List<StreamObserver> observers, boolean sse, HttpServerResponse out) {
        return observers.isEmpty() ? null : new ObserverChain(observers, sse, out);
    }

    /** Whether the answer is written only at the end (its length is then set by {@link #finish}). */
    public boolean holdsAnswer() {
        return hold;
    }

    public void write(Buffer chunk) {
        if (framer != null) {
            // most chunks are whole events of text that no observer needs: one skim for the observers' keys, and the
            // chunk goes out as it came, without being cut into events (the profile had the framing loop and the
            // key skim as the two hot spots of a stream with accounting on)
            if (keys != null && framer.idle() && endsWithBlankLine(chunk) && !holding()) {
                byte[] bytes = chunk.getBytes();
                if (!containsKey(bytes, 0, bytes.length, keys)) {
                    out.write(chunk);
                    return;
                }
            }
            // the events of one chunk leave in one write, as the plain pipe writes one per chunk: a write per event
            // cost a Netty write (and flush) each when a fast backend packs many events into a chunk
            batching = true;
            framer.feed(chunk);
            batching = false;
            flushBatch();
            return;
        }
        if (answer != null) {
            if (answer.length() + chunk.length() > MAX_ANSWER) {
                // too large to observe: relayed whole and unchanged, memory stays bounded
                if (hold) {
                    hold = false;
                    out.setChunked(true).write(answer);
                }
                answer = null;
            } else {
                answer.appendBuffer(chunk);
            }
        }
        if (!hold) {
            out.write(chunk);
        }
    }

    /** The backend's answer ended: flush, end the client's response, tell the observers. */
    public void finish() {
        if (framer != null) {
            framer.finish();
            for (int i = 0; i < observers.size(); i++) {
                Buffer held = observers.get(i).flush();
                if (held.length() > 0) {
                    pass(held, i + 1);
                }
            }
            out.end();
        } else if (hold) {
            Buffer body = answer;
            for (StreamObserver observer : observers) {
                body = observer.onAnswer(body);
            }
            out.putHeader("Content-Length", Integer.toString(body.length()));
            out.end(body);
        } else {
            // observed before the end, not after: the request's metrics are taken when the response ends, and
            // would miss the usage of every JSON answer
            if (answer != null) {
                for (StreamObserver observer : observers) {
                    observer.onAnswer(answer);
                }
            }
            out.end();
        }
        observers.forEach(o -> o.onEnd(true));
    }

    /** The answer was cut off (backend gone, silent, or the client left). */
    public void failed() {
        observers.forEach(o -> o.onEnd(false));
    }

    /** Whether the chunk ends where an event ends ({@code \n\n} or {@code \r\n\r\n}). */
    static boolean endsWithBlankLine(Buffer chunk) {
        int n = chunk.length();
        if (n < 2 || chunk.getByte(n - 1) != '\n') {
            return false;
        }
        byte before = chunk.getByte(n - 2);
        return before == '\n' || (before == '\r' && n >= 4 && chunk.getByte(n - 3) == '\n' && chunk.getByte(n - 4) == '\r');
    }

    private boolean holding() {
        for (StreamObserver observer : observers) {
            if (observer.holding()) {
                return true;
            }
        }
        return false;
    }

    private static byte[][] keysOf(List<StreamObserver> observers) {
        java.util.List<byte[]> all = new java.util.ArrayList<>();
        for (StreamObserver observer : observers) {
            byte[][] keys = observer.eventKeys();
            if (keys == null) {
                return null;
            }
            java.util.Collections.addAll(all, keys);
        }
        return all.toArray(new byte[0][]);
    }

    private void event(Buffer event, byte[] bytes, int from, int to) {
        if (keys != null && !holding() && !containsKey(bytes, from, to, keys)) {
            send(event);
            return;
        }
        pass(event, 0);
    }

    /** Runs events through the observers from {@code first} on, and writes what is left of them. */
    private void pass(Buffer events, int first) {
        Buffer e = events;
        for (int i = first; i < observers.size(); i++) {
            e = observers.get(i).onEvent(e);
            if (e.length() == 0) {
                return;
            }
        }
        send(e);
    }

    private void send(Buffer events) {
        if (!batching) {
            out.write(events);
        } else if (batch == null) {
            batch = events;
        } else {
            if (!batchOwned) {
                batch = Buffer.buffer(batch.length() + events.length() + 256).appendBuffer(batch);
                batchOwned = true;
            }
            batch.appendBuffer(events);
        }
    }

    private void flushBatch() {
        if (batch != null) {
            Buffer b = batch;
            batch = null;
            batchOwned = false;
            out.write(b);
        }
    }

    /**
     * Whether one of {@code keys} (each a quote and at least one more byte) occurs in {@code bytes[from, to)}. Only a
     * quote followed by the second byte of some key is compared further: quotes are frequent in JSON, keys' first
     * letters after them much less (measured ~130 ns for a 260-byte event, against ~400 ns comparing every key at
     * every quote).
     */
    static boolean containsKey(byte[] bytes, int from, int to, byte[][] keys) {
        for (int i = from; i < to - 1; i++) {
            if (bytes[i] != '"') {
                continue;
            }
            byte next = bytes[i + 1];
            for (byte[] key : keys) {
                if (key[1] == next && i + key.length <= to
                        && java.util.Arrays.equals(bytes, i, i + key.length, key, 0, key.length)) {
                    return true;
                }
            }
        }
        return false;
    }
}
