package dev.switchboard.upstream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/** The backend's readiness endpoint (llama.cpp's {@code /health}); its base URL is the full probe URL. */
@Path("")
public interface HealthProbeClient {

    @GET
    Uni<Response> probe();
}
