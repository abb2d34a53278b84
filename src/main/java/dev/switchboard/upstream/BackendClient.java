package dev.switchboard.upstream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;

import io.smallrye.mutiny.Uni;

/**
 * The backend's OpenAI API as a declarative REST client; its base URL is {@code switchboard.backend.url}
 * (built in {@link BackendClients}). Bodies are raw bytes both ways so nothing is re-encoded, and every status comes
 * back as a {@link Response} (the default exception mapper is off) so the relay can pass it on.
 */
@Path("")
@RegisterClientHeaders(RelayedHeaders.class)
public interface BackendClient {

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> chatCompletions(byte[] body);

    @POST
    @Path("/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> completions(byte[] body);

    @POST
    @Path("/embeddings")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<Response> embeddings(byte[] body);

    @GET
    @Path("/models")
    Uni<Response> models();
}
