package dev.switchboard.testsupport;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The server a fake imitates when a test has not overridden anything: what the real server answers
 * to the requests the gateway makes (taken from the recordings) and how it treats idle connections.
 *
 * @param routes      "METHOD /path" to responder
 * @param fallback    answer for any other method/path
 * @param idleTimeout a kept-alive connection with no new request for this long is closed by the
 *                    server; zero: never
 */
record Profile(Map<String, Function<RecordedRequest, Reply>> routes, Function<RecordedRequest, Reply> fallback,
               Duration idleTimeout) {

    static String key(String method, String path) {
        return method.toUpperCase() + " " + path;
    }

    /** llama-server with the tools model (instance A of the recordings). */
    static Profile llamaCpp() {
        Reply health = Reply.recording("health_ready");
        Reply models = Reply.recording("v1_models");
        return new Profile(Map.of(
                key("GET", "/health"), r -> health,
                key("GET", "/v1/health"), r -> Reply.recording("v1_health"),
                key("GET", "/v1/models"), r -> models,
                key("GET", "/models"), r -> Reply.recording("models"),
                key("POST", "/v1/chat/completions"), llamaJson("chat_basic", "chat_stream"),
                key("POST", "/v1/completions"), llamaJson("completions_basic", "completions_stream"),
                key("POST", "/v1/embeddings"), llamaJson("embeddings_float_single", "embeddings_float_single")),
                // llama.cpp answers unknown paths and wrong methods (GET on a POST route) with the same 404
                r -> Reply.recording("error_unknown_endpoint_get"),
                // cpp-httplib closes a kept-alive connection after 5 s without a request (its
                // "Keep-Alive: timeout=5" header); a client pool that reuses it later must cope
                Duration.ofSeconds(5));
    }

    /** The cloud provider (OpenCode Zen) under /zen/v1; it has no /health. */
    static Profile zen() {
        return new Profile(Map.of(
                key("GET", "/zen/v1/models"), r -> Reply.recording("zen", "models"),
                key("POST", "/zen/v1/chat/completions"), r -> isStream(r.bodyJsonOrNull())
                        ? Reply.recording("zen", "chat_glm_reasoning_stream_include_usage")
                        : Reply.recording("zen", "chat_glm_reasoning")),
                // no recording of Zen's 404 exists; a bare one is enough for "no such route"
                r -> Reply.status(404, "text/plain", "Not Found"),
                Duration.ZERO); // unknown for the provider; not imitated
    }

    /** llama.cpp parses every POST body as JSON first; a body that is not an object gets its 500. */
    private static Function<RecordedRequest, Reply> llamaJson(String plain, String stream) {
        return r -> {
            JsonObject body = r.bodyJsonOrNull();
            if (body == null) {
                return Reply.recording("error_malformed_json");
            }
            return Reply.recording(isStream(body) ? stream : plain);
        };
    }

    private static boolean isStream(JsonObject body) {
        return body != null && Boolean.TRUE.equals(body.getValue("stream"));
    }
}
