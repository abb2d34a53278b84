package dev.switchboard.health;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.UpstreamFailure;
import dev.switchboard.json.JsonTrees;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.upstream.Backend;
import dev.switchboard.upstream.BackendClients;
import dev.switchboard.upstream.BackendRegistry;
import dev.switchboard.upstream.Replica;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Probes every replica's readiness (llama.cpp's {@code /health}) and slot count ({@code /props}) at start and then
 * in the background, and records the result on the {@link Replica}: routing skips a replica that is down or loading
 * without waiting for a request to fail on it. The readiness check probes afresh.
 */
@ApplicationScoped
public class BackendProbe {

    private static final Logger LOG = Logger.getLogger("switchboard.backends");

    private final BackendRegistry registry;
    private final BackendClients clients;
    private final long intervalMs;

    public BackendProbe(BackendRegistry registry, BackendClients clients, GatewayConfig config, GatewayMetrics metrics) {
        this.registry = registry;
        this.clients = clients;
        this.intervalMs = config.fallback().probeInterval().toMillis();
        for (Backend backend : registry.all()) {
            metrics.backendReadiness(backend.name(), () -> switch (BackendReadinessCheck.state(backend)) {
                case UP -> 1.0;
                case LOADING -> 0.5;
                default -> 0.0;
            });
        }
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        probeAll().subscribe().with(done -> { }, failure -> { });
        if (intervalMs > 0) {
            vertx.setPeriodic(intervalMs, id -> probeAll().subscribe().with(done -> { }, failure -> { }));
        }
    }

    /** Probes every replica at once; completes when all have answered or failed. */
    public Uni<Void> probeAll() {
        List<Uni<Replica.State>> probes = new ArrayList<>();
        for (Backend backend : registry.all()) {
            for (Replica replica : backend.replicas()) {
                probes.add(probe(replica));
                slots(replica);
            }
        }
        return probes.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(probes).andCollectFailures().replaceWithVoid();
    }

    /** One replica's readiness, also recorded on it. A replica without a probe is UP. */
    public Uni<Replica.State> probe(Replica replica) {
        var probe = clients.of(replica).health();
        if (probe.isEmpty()) {
            replica.state(Replica.State.UP, "probe disabled");
            return Uni.createFrom().item(Replica.State.UP);
        }
        return probe.get().probe()
                .map(response -> {
                    int status = response.getStatus();
                    byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
                    if (status == 200) {
                        return record(replica, Replica.State.UP, "ok");
                    }
                    // llama.cpp answers 503 "Loading model" until its model is in memory
                    return record(replica, status == 503 ? Replica.State.LOADING : Replica.State.DOWN, reason(status, body));
                })
                .onFailure().recoverWithItem(failure -> record(replica, Replica.State.DOWN,
                        UpstreamFailure.isSilence(failure) ? "no answer in time" : "unreachable: " + UpstreamFailure.describe(failure)));
    }

    private Replica.State record(Replica replica, Replica.State state, String reason) {
        if (state != replica.state() && replica.state() != Replica.State.UNKNOWN) {
            LOG.infof("backend %s is %s: %s", replica.baseUri(), state.name().toLowerCase(), reason);
        }
        replica.state(state, reason);
        return state;
    }

    private void slots(Replica replica) {
        clients.of(replica).props().ifPresent(props -> props.props().subscribe().with(response -> {
            byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
            if (response.getStatus() == 200 && JsonTrees.parse(body) instanceof JsonObject root
                    && root.getValue("total_slots") instanceof Number slots && slots.intValue() > 0) {
                replica.slots(slots.intValue());
            }
        }, failure -> { }));
    }

    /** llama.cpp says why in its error envelope ("Loading model"); otherwise the status says it. */
    static String reason(int status, byte[] body) {
        if (JsonTrees.parse(body) instanceof JsonObject root && root.getValue("error") instanceof JsonObject error
                && error.getValue("message") instanceof String message) {
            return message;
        }
        return "backend health answered HTTP " + status;
    }
}
