package dev.switchboard.api;

import java.util.function.Function;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.BackendErrors;
import dev.switchboard.error.OpenAiError;
import dev.switchboard.error.UpstreamFailure;
import dev.switchboard.upstream.BackendClients;
import dev.switchboard.upstream.ModelList;
import io.smallrye.mutiny.Uni;

/** The backend's models in OpenAI's list shape, whichever shape the backend answers in. */
@Path("/v1/models")
public class ModelsResource {

    private final BackendClients clients;
    private final long idleTimeoutMs;

    public ModelsResource(BackendClients clients, GatewayConfig config) {
        this.clients = clients;
        this.idleTimeoutMs = config.backend().idleTimeout().toMillis();
    }

    @GET
    public Uni<Response> list() {
        return fetch(list -> OpenAiError.json(200, list.toJson()));
    }

    @GET
    @Path("/{id: .+}")
    public Uni<Response> get(@PathParam("id") String id) {
        return fetch(list -> list.find(id)
                .map(model -> OpenAiError.json(200, model))
                .orElseGet(() -> OpenAiError.response(404, "model '" + id + "' does not exist", "model_not_found")));
    }

    private Uni<Response> fetch(Function<ModelList, Response> answer) {
        return clients.api().models()
                .map(response -> {
                    byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
                    if (response.getStatus() >= 400) {
                        return OpenAiError.json(response.getStatus(), BackendErrors.normalise(response.getStatus(), body));
                    }
                    return ModelList.parse(body).map(answer)
                            .orElseGet(() -> OpenAiError.response(502, "backend answered a model list Switchboard cannot read",
                                    "backend_bad_response"));
                })
                .onFailure().recoverWithItem(failure -> UpstreamFailure.of(failure, idleTimeoutMs).toResponse());
    }

}
