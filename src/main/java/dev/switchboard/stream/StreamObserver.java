package dev.switchboard.stream;

import io.vertx.core.buffer.Buffer;

/**
 * Sees, and may rewrite, one answer on its way to the client: each SSE event of a stream, or the whole body of a
 * JSON answer. Features register observers per request only when they are configured, so a plain relay parses
 * nothing. One instance per request, called on one event loop: no locking.
 */
public interface StreamObserver {

    /**
     * One whole SSE event as the backend sent it, its {@code data: } line(s) and the blank line that ends it included.
     * Returns what the client gets in its place: the same buffer when unchanged (the common case, no copy), an empty
     * buffer to drop the event, or one or more whole events.
     */
    Buffer onEvent(Buffer event);

    /**
     * A JSON (non-streaming) answer, whole, with a 2xx status. Returns the body the client gets: the same buffer when
     * unchanged.
     */
    default Buffer onAnswer(Buffer body) {
        return body;
    }

    /**
     * Whether {@link #onAnswer} may change the body. A JSON answer is held whole before it is relayed only when some
     * observer rewrites; read-only observers see a copy once the answer has been relayed.
     */
    default boolean rewritesAnswers() {
        return false;
    }

    /**
     * The JSON keys (with their opening quote, e.g. {@code "\"usage\""}) without which an event means nothing to this
     * observer; null: it must see every event. When every observer of a stream names its keys, an event holding none
     * of them goes to the client without any observer being called: most events of a stream are only text.
     */
    default byte[][] eventKeys() {
        return null;
    }

    /** {@link #eventKeys} from ASCII strings. */
    static byte[][] keys(String... keys) {
        byte[][] bytes = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            bytes[i] = keys[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return bytes;
    }

    /** Whether it holds an event back: then every event must pass through it, whatever its keys, to keep order. */
    default boolean holding() {
        return false;
    }

    /**
     * The stream ended normally: any events still held back, as one buffer (empty when none). Called before
     * {@link #onEnd}; the events returned go on through the observers after this one.
     */
    default Buffer flush() {
        return Buffer.buffer();
    }

    /** The answer is over: relayed whole ({@code complete}), or cut off by the backend, a timeout or the client. */
    default void onEnd(boolean complete) {
    }
}
