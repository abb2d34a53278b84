package dev.switchboard.upstream;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.GatewayConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Builds the declarative clients once, from {@code switchboard.backend.*}: the OpenAI API at the backend URL and the
 * readiness probe at the health URL (a different root, which is why they are built here rather than by config key).
 */
@ApplicationScoped
public class BackendClients {

    private final Backend backend;
    private final BackendClient api;
    private final Optional<HealthProbeClient> health;

    public BackendClients(GatewayConfig config) {
        GatewayConfig.Backend settings = config.backend();
        this.backend = Backend.from(settings);
        long connectMs = settings.connectTimeout().toMillis();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(backend.baseUri())
                .connectTimeout(connectMs, TimeUnit.MILLISECONDS)
                .readTimeout(settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(BackendClient.class);
        this.health = backend.healthUri().map(uri -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(uri)
                .connectTimeout(connectMs, TimeUnit.MILLISECONDS)
                .readTimeout(settings.health().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(HealthProbeClient.class));
    }

    public Backend backend() {
        return backend;
    }

    public BackendClient api() {
        return api;
    }

    /** Empty when the readiness probe is switched off. */
    public Optional<HealthProbeClient> health() {
        return health;
    }
}
