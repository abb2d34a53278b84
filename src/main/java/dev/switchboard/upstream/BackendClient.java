package dev.switchboard.upstream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;

import io.smallrye.mutiny.Uni;

/**
 * The backend's control calls as a declarative REST client; its base URL is {@code switchboard.backend.url}
 * (built in {@link BackendClients}). Every status comes back as a {@link Response} (the default exception mapper is
 * off) so the caller can pass it on. Completions and embeddings go through {@link Forwarder} instead (see there).
 */
@Path("")
@RegisterClientHeaders(RelayedHeaders.class)
public interface BackendClient {

    @GET
    @Path("/models")
    Uni<Response> models();
}
