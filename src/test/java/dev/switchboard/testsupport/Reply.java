package dev.switchboard.testsupport;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scripted answer of the {@link FakeBackend}. Immutable: the modifiers return a new Reply, so a Reply
 * can be shared between routes and tests.
 *
 * <p>A Reply replays a {@link Recording}: the status, headers and body; a {@code text/event-stream}
 * body goes out one event per chunk, flushed, {@link #eventDelay} apart. How it ends is scripted:
 * normally, by hanging (never finishing, until the client leaves), or by the fake closing (FIN) or
 * resetting (RST) the connection without the terminating chunk. Without an event delay the events go
 * out as fast as the connection takes them: the fake waits whenever its write queue is full. {@link #hold()} answers
 * nothing at all; {@link #drop()} closes the connection without answering.
 */
public final class Reply {

    /** What happens after the last event the reply sends. */
    enum End { COMPLETE, HANG, CLOSE, RESET }

    final Recording source;           // null for hold()
    final Duration headDelay;
    final Duration eventDelay;
    final int eventLimit;              // -1: all events
    final End end;
    final List<Map.Entry<String, String>> extraHeaders;
    private final String description;

    private Reply(Recording source, Duration headDelay, Duration eventDelay, int eventLimit, End end,
                  List<Map.Entry<String, String>> extraHeaders, String description) {
        this.source = source;
        this.headDelay = headDelay;
        this.eventDelay = eventDelay;
        this.eventLimit = eventLimit;
        this.end = end;
        this.extraHeaders = List.copyOf(extraHeaders);
        this.description = description;
    }

    /** Replays {@code fixtures/llamacpp/<name>.http}. */
    public static Reply recording(String name) {
        return recording("llamacpp", name);
    }

    /** Replays {@code fixtures/<dir>/<name>.http}, e.g. {@code recording("zen", "error_rate_limited")}. */
    public static Reply recording(String dir, String name) {
        return of(Recording.load(dir, name), dir + "/" + name);
    }

    public static Reply of(Recording recording, String description) {
        return new Reply(recording, Duration.ZERO, Duration.ZERO, -1, End.COMPLETE, List.of(), description);
    }

    /**
     * A made-up answer with only Content-Type (omitted if null) and the length/chunking headers; add
     * more with {@link #withHeader}. A {@code text/event-stream} body is split into events like a recording.
     */
    public static Reply status(int status, String contentType, String body) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (contentType != null) {
            headers.add(Map.entry("Content-Type", contentType));
        }
        String reason = HttpResponseStatus.valueOf(status).reasonPhrase();
        return of(Recording.of(status, reason, headers, body.getBytes(StandardCharsets.UTF_8)), "status " + status);
    }

    /** Reads the request and never answers; the exchange ends only when the client closes the connection. */
    public static Reply hold() {
        return new Reply(null, Duration.ZERO, Duration.ZERO, 0, End.HANG, List.of(), "hold");
    }

    /**
     * Reads the request and closes the connection without sending a byte: to the gateway, a connection failure it
     * may retry (unlike a refused connection, each attempt shows in the fake's history).
     */
    public static Reply drop() {
        return new Reply(null, Duration.ZERO, Duration.ZERO, 0, End.CLOSE, List.of(), "drop");
    }

    /** 200 and the text/event-stream head of chat_stream, then silence. */
    public static Reply headersThenHang() {
        return headersThenHang(0);
    }

    /** 200, the head and the first {@code k} events of chat_stream, then silence. */
    public static Reply headersThenHang(int k) {
        return recording("chat_stream").hangAfter(k);
    }

    /** The head and the first {@code k} events of chat_stream, then a close without the terminating chunk. */
    public static Reply closeAfterEvents(int k) {
        return recording("chat_stream").closeAfter(k);
    }

    /**
     * A generated llama.cpp chat stream: role chunk, {@code n} content chunks {@code " t0"}, {@code " t1"}, ...,
     * finish chunk, {@code data: [DONE]}; every event after the first comes {@code delay} after the previous.
     */
    public static Reply longStream(int n, Duration delay) {
        return of(LongStream.chat(n), "longStream(" + n + ")").eventDelay(delay);
    }

    /** Spaces the events (or the one body) this far apart; the first goes out with the head. */
    public Reply eventDelay(Duration delay) {
        return new Reply(source, headDelay, delay, eventLimit, end, extraHeaders, description);
    }

    /** Delays the whole answer, status line included. */
    public Reply headDelay(Duration delay) {
        return new Reply(source, delay, eventDelay, eventLimit, end, extraHeaders, description);
    }

    /** Sets (replaces) a response header. */
    public Reply withHeader(String name, String value) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(extraHeaders);
        headers.add(Map.entry(name, value));
        return new Reply(source, headDelay, eventDelay, eventLimit, end, headers, description);
    }

    /**
     * Sends the head and the first {@code k} events, then nothing more until the client leaves.
     * For a non-SSE body, {@code k = 0} sends only the head (announcing the full Content-Length).
     */
    public Reply hangAfter(int k) {
        return truncated(k, End.HANG);
    }

    /** Sends the head and the first {@code k} events, then closes the connection (FIN) with no terminating chunk. */
    public Reply closeAfter(int k) {
        return truncated(k, End.CLOSE);
    }

    /** Sends the head and the first {@code k} events, then resets the connection (TCP RST, no terminating chunk). */
    public Reply resetAfter(int k) {
        return truncated(k, End.RESET);
    }

    private Reply truncated(int k, End how) {
        if (source == null) {
            throw new IllegalStateException(description + " sends nothing to truncate");
        }
        return new Reply(source, headDelay, eventDelay, k, how, extraHeaders,
                description + " " + how.name().toLowerCase() + "After(" + k + ")");
    }

    @Override
    public String toString() {
        return description;
    }
}
