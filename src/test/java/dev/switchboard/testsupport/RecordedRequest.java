package dev.switchboard.testsupport;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * A request as the fake backend received it (i.e. as the gateway forwarded it).
 *
 * @param method        e.g. "POST"
 * @param uri           path including the query string, e.g. "/v1/models?x=1"
 * @param path          path without the query string; what routes match on
 * @param headers       case-insensitive copy of all request headers
 * @param body          the body bytes exactly as received
 * @param receivedNanos {@link System#nanoTime()} when the whole body had arrived
 */
public record RecordedRequest(String method, String uri, String path, MultiMap headers, byte[] body,
                              long receivedNanos) {

    /** First value of a header (case-insensitive), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as a JSON object; throws {@link io.vertx.core.json.DecodeException} if it is not one. */
    public JsonObject bodyJson() {
        return new JsonObject(bodyString());
    }

    /** Like {@link #bodyJson()} but null instead of an exception, for routing on possibly malformed bodies. */
    JsonObject bodyJsonOrNull() {
        try {
            return bodyJson();
        } catch (RuntimeException notAJsonObject) { // DecodeException, or ClassCastException for a JSON array
            return null;
        }
    }

    boolean matches(String method, String path) {
        return this.method.equalsIgnoreCase(method) && this.path.equals(path);
    }

    @Override
    public String toString() {
        return method + " " + uri + " (" + body.length + " bytes)";
    }
}
