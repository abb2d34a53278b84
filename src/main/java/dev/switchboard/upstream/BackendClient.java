package dev.switchboard.upstream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/**
 * The backend's control calls as a declarative REST client; its base URL is a backend's URL, one client per replica
 * (built in {@link BackendClients}, with that backend's {@link RelayedHeaders}). Every status comes back as a {@link Response} (the default exception mapper is
 * off) so the caller can pass it on. Completions and embeddings go through {@link Forwarder} instead (see there).
 */
@Path("")
public interface BackendClient {

    @GET
    @Path("/models")
    Uni<Response> models();
}
