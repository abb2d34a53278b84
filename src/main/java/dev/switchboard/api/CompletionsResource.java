package dev.switchboard.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

import dev.switchboard.stream.StreamObservers;
import dev.switchboard.upstream.RequestPeek;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** Text completions, JSON or streamed: the body goes to the backend as the client sent it. */
@Path("/v1/completions")
public class CompletionsResource {

    private final Relay relay;

    public CompletionsResource(Relay relay) {
        this.relay = relay;
    }

    /** Any content type: llama.cpp does not check it either, and clients differ. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Void> create(RoutingContext rc) {
        return relay.post("/completions", StreamObservers.Endpoint.COMPLETIONS, RequestPeek.PROMPT, "prompt", rc);
    }
}
