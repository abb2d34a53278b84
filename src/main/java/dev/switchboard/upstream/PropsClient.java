package dev.switchboard.upstream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;

/** llama.cpp's {@code /props} (its {@code total_slots}); the base URL is the full {@code /props} URL. */
@Path("")
public interface PropsClient {

    @GET
    Uni<Response> props();
}
