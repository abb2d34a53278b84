package dev.switchboard.error;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.core.Response;

import dev.switchboard.json.JsonTrees;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The one error envelope Switchboard writes: {@code {"error":{"message","type","param","code"}}}, as OpenAI's SDKs
 * parse it. The type follows the status, so clients that branch on it (retry on 429/5xx) behave.
 */
public final class OpenAiError {

    public static final String JSON = "application/json";

    /** Written if building an envelope ever fails: the client still gets valid JSON. */
    private static final byte[] FALLBACK =
            "{\"error\":{\"message\":\"internal error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"
                    .getBytes(StandardCharsets.UTF_8);

    private OpenAiError() {
    }

    public static String typeFor(int status) {
        return switch (status) {
            case 400, 405, 409, 413, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    public static byte[] body(int status, String message, String code) {
        return body(message, typeFor(status), code);
    }

    public static byte[] body(String message, String type, String code) {
        try {
            JsonObject error = new JsonObject().put("message", message).put("type", type).putNull("param")
                    .put("code", code);
            return JsonTrees.encode(new JsonObject().put("error", error)).getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            return FALLBACK;
        }
    }

    public static Response response(int status, String message, String code) {
        return json(status, body(status, message, code));
    }

    public static Response json(int status, Object entity) {
        return Response.status(status).type(JSON).entity(entity).build();
    }

    /** Ends {@code response} with an envelope, unless the response already started (then only a reset is honest). */
    public static void send(HttpServerResponse response, int status, String message, String code) {
        if (response.headWritten()) {
            response.reset();
            return;
        }
        byte[] bytes = body(status, message, code);
        response.setStatusCode(status)
                .putHeader("Content-Type", JSON)
                .end(Buffer.buffer(bytes));
    }
}
