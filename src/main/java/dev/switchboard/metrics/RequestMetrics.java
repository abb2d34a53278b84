package dev.switchboard.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.switchboard.stream.StreamObserver;
import dev.switchboard.stream.Usage;
import dev.switchboard.stream.UsageTap;
import dev.switchboard.upstream.RelayCall;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Counts every API request when it ends: requests, duration and time to first byte by backend and endpoint, and the
 * tokens the answer reported (from its {@link UsageTap}) into the metrics and the {@code /v1/usage} totals. A request
 * Switchboard answered itself (bad body, unknown model) counts under backend {@code none}.
 */
@ApplicationScoped
public class RequestMetrics {

    private final GatewayMetrics metrics;
    private final UsageTotals totals;

    public RequestMetrics(GatewayMetrics metrics, UsageTotals totals) {
        this.metrics = metrics;
        this.totals = totals;
    }

    void install(@Observes Router router) {
        router.route("/v1/*").order(Integer.MIN_VALUE + 2).handler(rc -> {
            if (rc.request().method().name().equals("POST")) {
                long start = System.nanoTime();
                metrics.started();
                rc.addEndHandler(ended -> finished(rc, start));
            }
            rc.next();
        });
    }

    private void finished(RoutingContext rc, long start) {
        RelayCall call = RelayCall.of(rc);
        String backend = call == null || call.backend() == null ? "none" : call.backend().name();
        String endpoint = endpoint(rc.request().path());
        int status = rc.response().getStatusCode();
        metrics.finished(backend, endpoint, status, call != null && call.stream(), System.nanoTime() - start,
                call == null ? 0 : call.timeToFirstByte());
        if (call == null) {
            return;
        }
        for (StreamObserver observer : call.observersInUse()) {
            if (observer instanceof UsageTap tap) {
                Usage usage = tap.usage();
                String model = metrics.boundedModel(call.model());
                metrics.tokens(backend, model, usage);
                totals.add(backend, model, usage);
            }
        }
    }

    private static String endpoint(String path) {
        return switch (path) {
            case "/v1/chat/completions" -> "chat.completions";
            case "/v1/completions" -> "completions";
            case "/v1/embeddings" -> "embeddings";
            default -> "other";
        };
    }
}
