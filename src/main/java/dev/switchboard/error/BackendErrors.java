package dev.switchboard.error;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Makes a backend's error body readable by OpenAI clients. Bodies already in OpenAI's shape (llama.cpp's included)
 * pass unchanged; OpenCode Zen's {@code {"type":"error","error":{type,message}}} becomes OpenAI's envelope with the
 * same message and type; anything that is not JSON (an HTML 502 page from a load balancer) is wrapped.
 */
public final class BackendErrors {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int SNIPPET = 200;

    private BackendErrors() {
    }

    /** The body to send the client for a backend answer with an error {@code status}. */
    public static byte[] normalise(int status, byte[] body) {
        JsonNode root = parse(body);
        if (root != null && root.path("error").isObject()) {
            JsonNode error = root.get("error");
            if (!"error".equals(root.path("type").asText(null))) {
                return body;
            }
            String message = error.path("message").asText("backend error");
            String type = error.path("type").asText(OpenAiError.typeFor(status));
            return OpenAiError.body(message, type, null);
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String snippet = text.length() > SNIPPET ? text.substring(0, SNIPPET) + "..." : text;
        return OpenAiError.body(status, "backend answered HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet),
                "backend_error");
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
