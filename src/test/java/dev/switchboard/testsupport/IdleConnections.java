package dev.switchboard.testsupport;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes kept-alive connections that stay idle too long, as cpp-httplib does under llama-server
 * ("Keep-Alive: timeout=5"): a gateway whose pool reuses such a connection later must cope with it.
 * Only connections between two exchanges are timed; a held or hanging exchange is never cut.
 */
final class IdleConnections {

    private final Vertx vertx;
    private final Map<HttpConnection, Long> timers = new ConcurrentHashMap<>();
    private volatile Duration timeout;

    IdleConnections(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeout = timeout;
    }

    void timeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** A complete answer left the connection open: close it unless a request follows in time. */
    void idle(HttpConnection connection) {
        Duration limit = timeout;
        if (!limit.isZero()) {
            timers.put(connection, vertx.setTimer(Math.max(1, limit.toMillis()), id -> {
                timers.remove(connection);
                connection.close();
            }));
        }
    }

    /** A new request arrived on the connection. */
    void busy(HttpConnection connection) {
        Long timer = timers.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }
}
