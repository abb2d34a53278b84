package dev.switchboard.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.OpenAiError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

/**
 * Refuses a body over {@code switchboard.max-body-size} by its {@code Content-Length}, before a byte of it is read,
 * with a 413 in OpenAI's envelope. A chunked body, which has no length up front, is held to the same limit by
 * {@link RequestBody} as it arrives.
 */
@ApplicationScoped
public class BodyLimit {

    void install(@Observes Router router, GatewayConfig config) {
        long limit = config.maxBodySize();
        router.route().order(Integer.MIN_VALUE + 2).handler(rc -> {
            long length = declaredLength(rc.request());
            if (length > limit) {
                rc.response().putHeader("Connection", "close");
                OpenAiError.send(rc.response(), 413,
                        "request body of " + length + " bytes is larger than the limit of " + limit + " bytes",
                        "request_too_large");
                return;
            }
            rc.next();
        });
    }

    /** The body length the request announces, or -1 without a (well-formed) {@code Content-Length}. */
    static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x rejects a malformed length itself
        }
    }
}
