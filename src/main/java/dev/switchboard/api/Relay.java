package dev.switchboard.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.log.AccessLog;
import dev.switchboard.routing.Router;
import dev.switchboard.upstream.Forwarder;
import dev.switchboard.upstream.RelayCall;
import dev.switchboard.upstream.RequestPeek;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/**
 * The data path shared by the POST endpoints: check the body, choose the backends ({@link Router}), then hand the
 * body to them untouched (but for a routed model name) through the {@link Forwarder} pipe, JSON answers and SSE
 * streams alike.
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
    private final Router router;
    private final long maxBodySize;

    public Relay(Forwarder forwarder, Router router, GatewayConfig config) {
        this.forwarder = forwarder;
        this.router = router;
        this.maxBodySize = config.maxBodySize();
    }

    /**
     * The steps are chained as Vert.x futures and become a Uni once, at the end: every Mutiny operator captures the
     * request's context for propagation, which the benchmark's profile showed on the hot path.
     *
     * @param required the field this endpoint cannot do without ({@link RequestPeek#MESSAGES} ...), and its name
     */
    public Uni<Void> post(String path, int required, String requiredName, RoutingContext rc) {
        Future<Void> done = RequestBody.read(rc.request(), maxBodySize).compose(body -> {
            RequestPeek peek;
            try {
                peek = RequestPeek.of(body);
            } catch (RequestPeek.BadRequest e) {
                return Future.failedFuture(new GatewayError(400, e.getMessage(), "invalid_request_body"));
            }
            if (!peek.has(required)) {
                return Future.failedFuture(new GatewayError(400, "'" + requiredName + "' is required", "missing_field"));
            }
            AccessLog.describe(rc, peek.model(), peek.stream());
            return router.route(peek.model()).compose(hops -> {
                RelayCall call = new RelayCall(path, rc.request(), body, peek, hops, backend -> List.of());
                AccessLog.relayed(rc, call);
                return forwarder.forward(call);
            });
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
