package dev.switchboard.upstream;

import java.util.concurrent.TimeoutException;

import dev.switchboard.stream.ObserverChain;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Moves a backend answer's body to the client as it arrives, with backpressure both ways (the backend is paused while
 * the client's write queue is full) and an idle watch: the backend going silent for the idle timeout fails the pump.
 * Vert.x's request idle timeout covers only the wait for the response head, and {@code pipeTo} has no idle watch.
 * Time spent paused for a slow client is not the backend's silence and does not count. With observers, each chunk
 * goes through their {@link ObserverChain} instead of straight to the client.
 */
final class BodyPump {

    private final HttpClientResponse from;
    private final HttpServerResponse to;
    private final ObserverChain chain;
    private final RelayCall call;
    private final long idleNanos;
    private final Promise<Void> done = Promise.promise();
    private long lastActivity = System.nanoTime();
    private boolean paused;

    private BodyPump(HttpClientResponse from, HttpServerResponse to, ObserverChain chain, RelayCall call, long idleMs) {
        this.from = from;
        this.to = to;
        this.chain = chain;
        this.call = call;
        this.idleNanos = idleMs * 1_000_000;
    }

    /** Completes when the body has been relayed whole; fails when the backend breaks off, goes silent or the client leaves. */
    static Future<Void> run(Vertx vertx, HttpClientResponse from, HttpServerResponse to, ObserverChain chain,
            RelayCall call, long idleMs) {
        BodyPump pump = new BodyPump(from, to, chain, call, idleMs);
        long timer = vertx.setPeriodic(Math.max(idleMs / 4, 10), id -> pump.checkIdle(idleMs));
        pump.start();
        return pump.done.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    private void start() {
        from.handler(this::chunk);
        from.exceptionHandler(done::tryFail);
        from.endHandler(v -> {
            call.releaseSlot();
            if (chain == null) {
                to.end();
            } else {
                chain.finish();
            }
            done.tryComplete();
        });
    }

    private void chunk(Buffer chunk) {
        lastActivity = System.nanoTime();
        if (call.firstByteNanos == 0) {
            call.firstByteNanos = lastActivity;
        }
        if (chain == null) {
            to.write(chunk);
        } else {
            chain.write(chunk);
        }
        if (to.writeQueueFull()) {
            paused = true;
            from.pause();
            to.drainHandler(v -> {
                paused = false;
                lastActivity = System.nanoTime();
                from.resume();
            });
        }
    }

    private void checkIdle(long idleMs) {
        if (!paused && System.nanoTime() - lastActivity > idleNanos) {
            done.tryFail(new TimeoutException("no bytes from the backend for " + idleMs + " ms"));
            from.request().reset();
        }
    }
}
