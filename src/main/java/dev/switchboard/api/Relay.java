package dev.switchboard.api;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.log.AccessLog;
import dev.switchboard.log.RequestId;
import dev.switchboard.stream.IncludeUsage;
import dev.switchboard.stream.ReasoningLog;
import dev.switchboard.stream.ReasoningTap;
import dev.switchboard.stream.StreamObservers;
import dev.switchboard.routing.Router;
import dev.switchboard.upstream.Forwarder;
import dev.switchboard.upstream.RelayCall;
import dev.switchboard.upstream.RequestPeek;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
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
    private final StreamObservers observers;
    private final long maxBodySize;

    public Relay(Forwarder forwarder, Router router, StreamObservers observers, GatewayConfig config) {
        this.forwarder = forwarder;
        this.router = router;
        this.observers = observers;
        this.maxBodySize = config.maxBodySize();
    }

    /**
     * The steps are chained as Vert.x futures and become a Uni once, at the end: every Mutiny operator captures the
     * request's context for propagation, which the benchmark's profile showed on the hot path.
     *
     * @param required the field this endpoint cannot do without ({@link RequestPeek#MESSAGES} ...), and its name
     */
    public Uni<Void> post(String path, StreamObservers.Endpoint endpoint, int required, String requiredName,
            RoutingContext rc) {
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
            Buffer sent = body;
            boolean dropUsageEvent = false;
            if (peek.stream() && observers.accounting() && endpoint != StreamObservers.Endpoint.EMBEDDINGS) {
                // usage is counted for every stream: ask for it, and hide it again from a client that did not
                IncludeUsage.Result usage = IncludeUsage.ensure(body);
                if (usage.asked() != IncludeUsage.Asked.YES) {
                    sent = usage.body();
                    dropUsageEvent = true;
                    try {
                        peek = RequestPeek.of(sent); // the model's place moved
                    } catch (RequestPeek.BadRequest e) {
                        return Future.failedFuture(new IllegalStateException("include_usage splice broke the body", e));
                    }
                }
            }
            Buffer toSend = sent;
            RequestPeek toPeek = peek;
            boolean drop = dropUsageEvent;
            return router.route(peek.model()).compose(hops -> {
                RelayCall call = new RelayCall(path, rc.request(), toSend, toPeek, hops, backend ->
                        observers.forAnswer(endpoint, backend.reasoning(), drop, backend.cachedTokens()));
                call.attachTo(rc);
                return forwarder.forward(call).onComplete(ended -> logReasoning(rc, call));
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

    private static void logReasoning(RoutingContext rc, RelayCall call) {
        for (var observer : call.observersInUse()) {
            if (observer instanceof ReasoningTap tap) {
                ReasoningLog.log(rc.response().headers().get(RequestId.HEADER), call.backend().name(), call.model(), tap);
            }
        }
    }
}
