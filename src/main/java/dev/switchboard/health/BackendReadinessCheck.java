package dev.switchboard.health;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.upstream.Backend;
import dev.switchboard.upstream.BackendRegistry;
import dev.switchboard.upstream.Replica;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Ready when the backends are: llama.cpp's {@code /health} answers 200 once its model is loaded and 503
 * "Loading model" before. Reports each backend ({@code up}, {@code loading}, {@code down}) with its URL and reason;
 * what "ready" requires is {@code switchboard.readiness.require}. Liveness stays the gateway's own (Quarkus's
 * default), so a slow model load never gets Switchboard restarted.
 */
@Readiness
@ApplicationScoped
public class BackendReadinessCheck implements AsyncHealthCheck {

    private static final String NAME = "backends";

    private final BackendRegistry registry;
    private final BackendProbe probe;
    private final String require;

    public BackendReadinessCheck(BackendRegistry registry, BackendProbe probe, GatewayConfig config) {
        this.registry = registry;
        this.probe = probe;
        this.require = config.readiness().require();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe.probeAll().map(done -> {
            HealthCheckResponseBuilder b = HealthCheckResponse.named(NAME);
            for (Backend backend : registry.all()) {
                describe(b, backend);
            }
            return b.status(ready()).build();
        });
    }

    private static void describe(HealthCheckResponseBuilder b, Backend backend) {
        Replica.State state = state(backend);
        b.withData(backend.name(), state.name().toLowerCase());
        List<Replica> replicas = backend.replicas();
        for (int i = 0; i < replicas.size(); i++) {
            Replica replica = replicas.get(i);
            String prefix = backend.name() + (replicas.size() > 1 ? "." + i : "");
            b.withData(prefix + ".url", replica.healthUri().map(Object::toString).orElse(replica.baseUri().toString()));
            if (replica.state() != Replica.State.UP) {
                b.withData(prefix + ".reason", replica.reason());
            } else if (replica.healthUri().isEmpty()) {
                b.withData(prefix + ".probe", "disabled");
            }
        }
    }

    /** A backend is up when one of its replicas is; loading when none is up but one is loading. */
    static Replica.State state(Backend backend) {
        Replica.State best = Replica.State.DOWN;
        for (Replica replica : backend.replicas()) {
            if (replica.state() == Replica.State.UP) {
                return Replica.State.UP;
            }
            if (replica.state() == Replica.State.LOADING) {
                best = Replica.State.LOADING;
            }
        }
        return best;
    }

    private boolean ready() {
        Collection<Backend> considered = switch (require) {
            case "all", "any" -> registry.all();
            default -> registry.defaultRoute().isEmpty() ? registry.all() : registry.defaultRoute();
        };
        List<Replica.State> states = new ArrayList<>();
        considered.forEach(backend -> states.add(state(backend)));
        return "all".equals(require)
                ? states.stream().allMatch(s -> s == Replica.State.UP)
                : states.stream().anyMatch(s -> s == Replica.State.UP);
    }
}
