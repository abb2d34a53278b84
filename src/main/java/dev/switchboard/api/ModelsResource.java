package dev.switchboard.api;

import java.util.List;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import dev.switchboard.error.OpenAiError;
import dev.switchboard.json.JsonTrees;
import dev.switchboard.routing.Hop;
import dev.switchboard.routing.ModelCatalog;
import dev.switchboard.routing.Router;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Every backend's models in OpenAI's list shape, whichever shape each backend answers in: the union, each id once,
 * plus the configured aliases. A backend that is down is left out; only when no backend gives a list is its error
 * answered.
 */
@Path("/v1/models")
public class ModelsResource {

    private final ModelCatalog catalog;
    private final Router router;

    public ModelsResource(ModelCatalog catalog, Router router) {
        this.catalog = catalog;
        this.router = router;
    }

    @GET
    public Uni<Response> list() {
        return catalog.snapshot(false).map(snapshot -> {
            if (snapshot.error() != null) {
                return snapshot.error();
            }
            JsonArray data = new JsonArray();
            all(snapshot).forEach(data::add);
            return OpenAiError.json(200, JsonTrees.encode(new JsonObject().put("object", "list").put("data", data)));
        });
    }

    @GET
    @Path("/{id: .+}")
    public Uni<Response> get(@PathParam("id") String id) {
        return catalog.snapshot(false).map(snapshot -> {
            Optional<JsonObject> model = all(snapshot).stream().filter(m -> id.equals(m.getValue("id"))).findFirst();
            if (model.isPresent()) {
                return OpenAiError.json(200, JsonTrees.encode(model.get()));
            }
            return snapshot.error() != null ? snapshot.error()
                    : OpenAiError.response(404, "model '" + id + "' does not exist", "model_not_found");
        });
    }

    private List<JsonObject> all(ModelCatalog.Snapshot snapshot) {
        List<JsonObject> models = new java.util.ArrayList<>(snapshot.models());
        router.routes().forEach((alias, hops) -> {
            if (models.stream().noneMatch(m -> alias.equals(m.getValue("id")))) {
                models.add(alias(alias, hops));
            }
        });
        return models;
    }

    /** An alias as a model entry: clients pick it like any model; {@code route} says where it goes. */
    private static JsonObject alias(String alias, List<Hop> hops) {
        JsonArray route = new JsonArray();
        hops.forEach(hop -> route.add(hop.toString()));
        return new JsonObject().put("id", alias).put("object", "model").put("created", 0)
                .put("owned_by", "switchboard").put("route", route);
    }
}
