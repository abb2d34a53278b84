package dev.switchboard.api;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.log.AccessLog;
import dev.switchboard.upstream.Forwarder;
import dev.switchboard.upstream.RequestPeek;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * The data path shared by the POST endpoints: check the body, then hand it to the backend untouched through the
 * {@link Forwarder} pipe, JSON answers and SSE streams alike.
 *
 * <p>Why not the declarative REST client for JSON answers, as the design card has it: measured on Quarkus 3.33.2,
 * a client that went away did not cancel the backend call (the backend kept generating: the test
 * {@code clientLeavingBeforeTheAnswerCancelsTheBackendRequest} failed on that path, and passes on the pipe), and
 * the REST client path costs about twice the CPU per request (see the README's design notes and
 * {@code bench/README.md}). The REST client keeps the control calls: the model list and the readiness probe.
 */
@ApplicationScoped
public class Relay {

    private final Forwarder forwarder;
    private final long maxBodySize;

    public Relay(Forwarder forwarder, GatewayConfig config) {
        this.forwarder = forwarder;
        this.maxBodySize = config.maxBodySize();
    }

    /**
     * The steps are chained as Vert.x futures and become a Uni once, at the end: every Mutiny operator captures the
     * request's context for propagation, which the benchmark's profile showed on the hot path.
     */
    public Uni<Void> post(String path, RoutingContext rc) {
        Future<Void> done = RequestBody.read(rc.request(), maxBodySize).compose(body -> {
            RequestPeek peek;
            try {
                peek = RequestPeek.of(body);
            } catch (RequestPeek.BadRequest e) {
                return Future.failedFuture(new GatewayError(400, e.getMessage(), "invalid_request_body"));
            }
            AccessLog.describe(rc, peek.model(), peek.stream());
            return forwarder.forward(path, rc.request(), body);
        });
        return Uni.createFrom().emitter(emitter -> done.onComplete(ar -> {
            if (ar.succeeded()) {
                emitter.complete(null);
            } else {
                emitter.fail(ar.cause());
            }
        }));
    }
}
