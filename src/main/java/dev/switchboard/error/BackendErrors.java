package dev.switchboard.error;

import java.nio.charset.StandardCharsets;

import dev.switchboard.json.JsonTrees;
import io.vertx.core.json.JsonObject;

/**
 * Makes a backend's error body readable by OpenAI clients. Bodies already in OpenAI's shape (llama.cpp's included)
 * pass unchanged; OpenCode Zen's {@code {"type":"error","error":{type,message}}} becomes OpenAI's envelope with the
 * same message and type; anything that is not JSON (an HTML 502 page from a load balancer) is wrapped.
 */
public final class BackendErrors {

    private static final int SNIPPET = 200;

    private BackendErrors() {
    }

    /** The body to send the client for a backend answer with an error {@code status}. */
    public static byte[] normalise(int status, byte[] body) {
        if (JsonTrees.parse(body) instanceof JsonObject root && root.getValue("error") instanceof JsonObject error) {
            if (!"error".equals(root.getValue("type"))) {
                return body;
            }
            String message = error.getValue("message") instanceof String m ? m : "backend error";
            String type = error.getValue("type") instanceof String t ? t : OpenAiError.typeFor(status);
            return OpenAiError.body(message, type, null);
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String snippet = text.length() > SNIPPET ? text.substring(0, SNIPPET) + "..." : text;
        return OpenAiError.body(status, "backend answered HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet),
                "backend_error");
    }
}
