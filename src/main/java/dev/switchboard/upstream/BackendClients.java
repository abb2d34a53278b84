package dev.switchboard.upstream;

import java.net.URI;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * The declarative clients of every replica, built once: its OpenAI API (the model list), its readiness probe and,
 * for llama.cpp, {@code /props}. They live at different roots, which is why they are built here rather than by
 * config key.
 */
@ApplicationScoped
public class BackendClients {

    /** The REST clients of one replica. */
    public record Clients(BackendClient api, Optional<HealthProbeClient> health, Optional<PropsClient> props) {
    }

    private final Map<Replica, Clients> clients = new IdentityHashMap<>();

    public BackendClients(BackendRegistry registry) {
        for (Backend backend : registry.all()) {
            RelayedHeaders headers = new RelayedHeaders(backend);
            for (Replica replica : backend.replicas()) {
                // the model list is a control call like the probe: a backend that hangs must not hold up the union
                BackendClient api = builder(replica.baseUri(), backend.connectTimeoutMs(), backend.healthTimeoutMs())
                        .clientHeadersFactory(headers).build(BackendClient.class);
                Optional<HealthProbeClient> health = replica.healthUri().map(uri ->
                        builder(uri, backend.connectTimeoutMs(), backend.healthTimeoutMs()).build(HealthProbeClient.class));
                Optional<PropsClient> props = backend.readsSlots()
                        ? Optional.of(builder(Backend.propsUri(replica.baseUri()), backend.connectTimeoutMs(),
                                backend.healthTimeoutMs()).build(PropsClient.class))
                        : Optional.empty();
                clients.put(replica, new Clients(api, health, props));
            }
        }
    }

    private static QuarkusRestClientBuilder builder(URI base, long connectMs, long readMs) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(base)
                .connectTimeout(connectMs, TimeUnit.MILLISECONDS)
                .readTimeout(readMs, TimeUnit.MILLISECONDS)
                .property("microprofile.rest.client.disable.default.mapper", true);
    }

    public Clients of(Replica replica) {
        return clients.get(replica);
    }
}
