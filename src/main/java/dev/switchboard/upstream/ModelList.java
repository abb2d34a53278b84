package dev.switchboard.upstream;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A backend's model list in OpenAI's shape, {@code {"object":"list","data":[{"id","object","created","owned_by"}]}},
 * whatever shape the backend used: an OpenAI list; llama.cpp's object carrying both {@code data} and Ollama's
 * {@code models}; Ollama's {@code models} alone; or a bare array. Extra per-model fields (llama.cpp's {@code meta},
 * {@code aliases}) are kept; missing required ones are filled in.
 */
public final class ModelList {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode list;

    private ModelList(ObjectNode list) {
        this.list = list;
    }

    /** Empty when the body is no model list Switchboard can read. */
    public static Optional<ModelList> parse(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        JsonNode items = root == null ? null
                : root.isArray() ? root
                : root.path("data").isArray() ? root.get("data")
                : root.path("models").isArray() ? root.get("models")
                : null;
        if (items == null) {
            return Optional.empty();
        }
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        for (JsonNode item : items) {
            ObjectNode model = normalise(item);
            if (model != null) {
                data.add(model);
            }
        }
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("object", "list");
        list.set("data", data);
        return Optional.of(new ModelList(list));
    }

    private static ObjectNode normalise(JsonNode item) {
        ObjectNode model;
        if (item.isTextual()) {
            model = JsonNodeFactory.instance.objectNode().put("id", item.asText());
        } else if (item.isObject()) {
            model = ((ObjectNode) item).deepCopy();
            if (!model.path("id").isTextual()) {
                // Ollama's entries name the model in "model" or "name"
                String id = model.path("model").asText(model.path("name").asText(null));
                if (id == null) {
                    return null;
                }
                model.put("id", id);
            }
        } else {
            return null;
        }
        if (!model.has("object")) {
            model.put("object", "model");
        }
        if (!model.has("created")) {
            model.put("created", 0);
        }
        if (!model.has("owned_by")) {
            model.put("owned_by", "unknown");
        }
        return model;
    }

    public Optional<JsonNode> find(String id) {
        for (JsonNode model : list.get("data")) {
            if (id.equals(model.path("id").asText())) {
                return Optional.of(model);
            }
        }
        return Optional.empty();
    }

    public String toJson() {
        return list.toString();
    }
}
