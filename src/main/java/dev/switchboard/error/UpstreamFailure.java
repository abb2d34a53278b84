package dev.switchboard.error;

import java.util.concurrent.TimeoutException;

import jakarta.ws.rs.core.Response;

import io.vertx.core.http.HttpServerResponse;

/**
 * Why the backend gave no answer, as the client is told: 504 when it went silent past the idle timeout, 502 when it
 * could not be reached or broke the connection before answering.
 */
public record UpstreamFailure(int status, String message, String code) {

    public static UpstreamFailure of(Throwable failure, long idleTimeoutMs) {
        if (isSilence(failure)) {
            return new UpstreamFailure(504, "backend did not answer within " + idleTimeoutMs + " ms", "backend_timeout");
        }
        return new UpstreamFailure(502, "backend unreachable: " + describe(failure), "backend_unreachable");
    }

    public static void send(Throwable failure, HttpServerResponse out, long idleTimeoutMs) {
        UpstreamFailure f = of(failure, idleTimeoutMs);
        OpenAiError.send(out, f.status, f.message, f.code); // on a closed connection this only marks it finished
    }

    public Response toResponse() {
        return OpenAiError.response(status, message, code);
    }

    /** An idle timeout, as opposed to a backend that cannot be reached in time (a connect timeout is a 502). */
    public static boolean isSilence(Throwable t) {
        if (t instanceof io.netty.channel.ConnectTimeoutException) {
            return false;
        }
        return t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout");
    }

    public static String describe(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
