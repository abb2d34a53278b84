package dev.switchboard.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.switchboard.error.UpstreamFailure;
import dev.switchboard.json.JsonTrees;
import dev.switchboard.upstream.BackendClients;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Ready when the backend is: llama.cpp's {@code /health} answers 200 once its model is loaded and 503
 * "Loading model" before. Liveness stays the gateway's own (Quarkus's default), so a slow model load never gets
 * Switchboard restarted.
 */
@Readiness
@ApplicationScoped
public class BackendReadinessCheck implements AsyncHealthCheck {

    private static final String NAME = "backend";

    private final BackendClients clients;

    public BackendReadinessCheck(BackendClients clients) {
        this.clients = clients;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var probe = clients.health();
        if (probe.isEmpty()) {
            return Uni.createFrom().item(builder().up().withData("probe", "disabled").build());
        }
        String url = clients.backend().healthUri().orElseThrow().toString();
        return probe.get().probe()
                .map(response -> {
                    int status = response.getStatus();
                    byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
                    HealthCheckResponseBuilder b = builder().withData("url", url).withData("status", status);
                    return status == 200 ? b.up().build() : b.down().withData("reason", reason(status, body)).build();
                })
                .onFailure().recoverWithItem(failure -> builder().down().withData("url", url)
                        .withData("reason", UpstreamFailure.isSilence(failure)
                                ? "no answer in time" : "unreachable: " + UpstreamFailure.describe(failure))
                        .build());
    }

    private static HealthCheckResponseBuilder builder() {
        return HealthCheckResponse.named(NAME);
    }

    /** llama.cpp says why in its error envelope ("Loading model"); otherwise the status says it. */
    private static String reason(int status, byte[] body) {
        if (JsonTrees.parse(body) instanceof JsonObject root && root.getValue("error") instanceof JsonObject error
                && error.getValue("message") instanceof String message) {
            return message;
        }
        return "backend health answered HTTP " + status;
    }
}
