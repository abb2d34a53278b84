package dev.switchboard.upstream;

import java.util.Optional;

import dev.switchboard.json.JsonTrees;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A backend's model list in OpenAI's shape, {@code {"object":"list","data":[{"id","object","created","owned_by"}]}},
 * whatever shape the backend used: an OpenAI list; llama.cpp's object carrying both {@code data} and Ollama's
 * {@code models}; Ollama's {@code models} alone; or a bare array. Extra per-model fields (llama.cpp's {@code meta},
 * {@code aliases}) are kept; missing required ones are filled in.
 */
public final class ModelList {

    private final JsonObject list;

    private ModelList(JsonObject list) {
        this.list = list;
    }

    /** Empty when the body is no model list Switchboard can read. */
    public static Optional<ModelList> parse(byte[] body) {
        Object root = JsonTrees.parse(body);
        JsonArray items = root instanceof JsonArray array ? array
                : root instanceof JsonObject object ? firstArray(object, "data", "models")
                : null;
        if (items == null) {
            return Optional.empty();
        }
        JsonArray data = new JsonArray();
        for (Object item : items) {
            JsonObject model = normalise(item);
            if (model != null) {
                data.add(model);
            }
        }
        return Optional.of(new ModelList(new JsonObject().put("object", "list").put("data", data)));
    }

    private static JsonArray firstArray(JsonObject object, String... keys) {
        for (String key : keys) {
            if (object.getValue(key) instanceof JsonArray array) {
                return array;
            }
        }
        return null;
    }

    private static JsonObject normalise(Object item) {
        JsonObject model;
        if (item instanceof String id) {
            model = new JsonObject().put("id", id);
        } else if (item instanceof JsonObject object) {
            model = object.copy();
            if (!(model.getValue("id") instanceof String)) {
                // Ollama's entries name the model in "model" or "name"
                Object id = model.getValue("model") instanceof String m ? m : model.getValue("name");
                if (!(id instanceof String)) {
                    return null;
                }
                model.put("id", id);
            }
        } else {
            return null;
        }
        if (!model.containsKey("object")) {
            model.put("object", "model");
        }
        if (!model.containsKey("created")) {
            model.put("created", 0);
        }
        if (!model.containsKey("owned_by")) {
            model.put("owned_by", "unknown");
        }
        return model;
    }

    /** The model with this id, as JSON. */
    public Optional<String> find(String id) {
        for (Object model : list.getJsonArray("data")) {
            if (id.equals(((JsonObject) model).getValue("id"))) {
                return Optional.of(JsonTrees.encode(model));
            }
        }
        return Optional.empty();
    }

    /** The models, each in OpenAI's shape. */
    public java.util.List<JsonObject> models() {
        java.util.List<JsonObject> models = new java.util.ArrayList<>();
        list.getJsonArray("data").forEach(m -> models.add((JsonObject) m));
        return models;
    }

    public String toJson() {
        return JsonTrees.encode(list);
    }
}
