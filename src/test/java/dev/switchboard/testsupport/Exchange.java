package dev.switchboard.testsupport;

import io.netty.channel.ChannelOption;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.impl.ConnectionBase;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Plays one {@link Reply} on one request, on the server's event loop, and logs what it did into a
 * {@link ResponseLog}. Every step first checks that the exchange is still in flight, so nothing more
 * is written once the client has gone (llama.cpp likewise cancels the task when its client leaves).
 */
final class Exchange {

    private final Vertx vertx;
    private final Context context;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final Reply reply;
    private final ResponseLog log;
    private final Runnable whenKeptAlive;
    private List<byte[]> chunks;   // SSE events, or the whole body as one chunk
    private boolean eventStream;
    private int limit;             // how many chunks this reply sends

    /** whenKeptAlive: run once a complete response leaves the connection open for the next request. */
    Exchange(Vertx vertx, HttpServerRequest request, Reply reply, ResponseLog log, Runnable whenKeptAlive) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.request = request;
        this.response = request.response();
        this.reply = reply;
        this.log = log;
        this.whenKeptAlive = whenKeptAlive;
    }

    void start() {
        response.closeHandler(closed -> {
            if (log.inFlight()) {
                log.markClientGone(System.nanoTime());
            }
        });
        response.exceptionHandler(ignored -> { }); // a vanished client is an expected outcome, not an error
        request.exceptionHandler(ignored -> { });
        if (reply.source == null) {
            if (reply.end == Reply.End.CLOSE) {
                closeConnection(); // drop(): not a byte, the connection closes
            }
            return; // hold(): say nothing, only notice when the client leaves
        }
        later(reply.headDelay, this::writeHead);
    }

    /** Ends an exchange still in flight, so a held request does not leak into the next test. */
    void abort() {
        context.runOnContext(v -> {
            if (log.inFlight()) {
                closeConnection();
            }
        });
    }

    private void writeHead() {
        if (!log.inFlight()) {
            return;
        }
        Recording source = reply.source;
        eventStream = source.isEventStream();
        chunks = eventStream ? source.eventsUnsafe() : List.of(source.bodyUnsafe());
        if (!eventStream && source.bodyUnsafe().length == 0) {
            chunks = List.of();
        }
        limit = reply.eventLimit < 0 ? chunks.size() : Math.min(reply.eventLimit, chunks.size());

        response.setStatusCode(source.status()).setStatusMessage(source.reason());
        boolean hasLength = false;
        for (Map.Entry<String, String> h : source.headers()) {
            if (h.getKey().equalsIgnoreCase("Content-Length")) {
                // recompute rather than trust; keeps the recorded header position
                response.headers().add(h.getKey(), String.valueOf(source.bodyUnsafe().length));
                hasLength = true;
            } else if (!h.getKey().equalsIgnoreCase("Transfer-Encoding")) { // setChunked decides
                response.headers().add(h.getKey(), h.getValue());
            }
        }
        reply.extraHeaders.forEach(h -> response.headers().set(h.getKey(), h.getValue()));
        if (eventStream) {
            response.setChunked(true); // each event becomes its own chunk
        } else if (!hasLength) {
            response.headers().set("Content-Length", String.valueOf(source.bodyUnsafe().length));
        }

        if (limit == 0 && reply.end == Reply.End.COMPLETE) {
            complete(null);
        } else if (limit == 0) {
            log.markHead(System.nanoTime());
            finish(response.writeHead());
        } else {
            writeFrom(0);
        }
    }

    /** Writes chunk i and the ones after it, pausing eventDelay between two chunks. */
    private void writeFrom(int first) {
        for (int i = first; log.inFlight(); i++) {
            long now = System.nanoTime();
            log.markHead(now);
            log.markEvent(now);
            Buffer chunk = Buffer.buffer(chunks.get(i));
            if (!eventStream && reply.end == Reply.End.COMPLETE) {
                complete(chunk); // the whole body with its Content-Length
                return;
            }
            Future<Void> written = response.write(chunk); // Vert.x flushes each write outside a read
            log.markWritten(chunk.length());
            if (i == limit - 1) {
                finish(written);
                return;
            }
            if (!reply.eventDelay.isZero()) {
                int next = i + 1;
                later(reply.eventDelay, () -> writeFrom(next));
                return;
            }
            if (response.writeQueueFull()) { // a reader slower than us: wait, as a real server's socket write would
                log.markBlocked();
                int next = i + 1;
                response.drainHandler(drained -> {
                    response.drainHandler(null);
                    writeFrom(next);
                });
                return;
            }
        }
    }

    /** After the last chunk this reply sends; lastWrite completes once those bytes are on the socket. */
    private void finish(Future<Void> lastWrite) {
        switch (reply.end) {
            case COMPLETE -> complete(null);
            case HANG -> { } // nothing more, ever; the close handler notices when the client gives up
            case CLOSE -> lastWrite.onComplete(done -> {
                if (log.inFlight()) {
                    closeConnection(); // no terminating chunk: the client sees a truncated body
                }
            });
            case RESET -> lastWrite.onComplete(done -> {
                if (log.inFlight()) {
                    // SO_LINGER 0: close() sends a TCP RST instead of a FIN, like a crashed or killed server
                    ((ConnectionBase) request.connection()).channel().config().setOption(ChannelOption.SO_LINGER, 0);
                    closeConnection();
                }
            });
        }
    }

    private void complete(Buffer lastChunk) {
        log.markHead(System.nanoTime());
        log.markCompleted(System.nanoTime());
        Future<Void> ended = lastChunk == null ? response.end() : response.end(lastChunk);
        boolean closes = "close".equalsIgnoreCase(response.headers().get("Connection"));
        if (closes) { // llama.cpp closes after every error answer; clients must not reuse the connection
            ended.onComplete(done -> closeConnection());
        } else {
            ended.onSuccess(done -> whenKeptAlive.run());
        }
    }

    private void closeConnection() {
        log.markFakeClosed(System.nanoTime());
        request.connection().close();
    }

    private void later(Duration delay, Runnable action) {
        if (delay.isZero() || delay.isNegative()) {
            action.run();
        } else {
            vertx.setTimer(Math.max(1, delay.toMillis()), id -> action.run());
        }
    }
}
