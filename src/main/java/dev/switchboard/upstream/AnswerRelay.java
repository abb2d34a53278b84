package dev.switchboard.upstream;

import dev.switchboard.error.BackendErrors;
import dev.switchboard.error.OpenAiError;
import dev.switchboard.error.UpstreamFailure;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.stream.ObserverChain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays the answer a backend gave: status and end-to-end headers, then the body through {@link BodyPump} (and the
 * request's observers, for 2xx answers). Error bodies are small and are translated into OpenAI's envelope. A backend
 * breaking off after the answer started gets a final error event in a stream, or a reset otherwise.
 */
final class AnswerRelay {

    private static final String SSE = "text/event-stream";

    private final Vertx vertx;
    private final GatewayMetrics metrics;

    AnswerRelay(Vertx vertx, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.metrics = metrics;
    }

    Future<Void> relay(RelayCall call, Backend backend, HttpClientResponse response, HttpServerResponse out) {
        long idleMs = backend.idleTimeoutMs();
        if (out.closed()) {
            response.request().reset();
            Forwarder.abandon(out);
            return Future.succeededFuture();
        }
        int status = response.statusCode();
        if (status >= 400) {
            return response.body().map(bytes -> {
                out.setStatusCode(status).putHeader("Content-Type", OpenAiError.JSON);
                copyHeaders(response, out, true);
                out.end(Buffer.buffer(BackendErrors.normalise(status, bytes.getBytes())));
                return (Void) null;
            }).recover(failure -> {
                // the backend broke off its own error answer: the client still gets an envelope, not Quarkus's 500
                UpstreamFailure.send(failure, out, idleMs);
                return Future.succeededFuture();
            });
        }
        out.setStatusCode(status);
        copyHeaders(response, out, false);
        boolean sse = isSse(response.getHeader("Content-Type"));
        if (status < 300) {
            call.observersInUse = call.observers.apply(backend);
        }
        ObserverChain chain = status < 300 ? ObserverChain.of(call.observersInUse, sse, out) : null;
        String contentLength = response.getHeader("Content-Length");
        if (chain != null && chain.holdsAnswer()) {
            // the length is known once the observers have rewritten the answer
        } else if (contentLength != null && (chain == null || !sse)) {
            out.putHeader("Content-Length", contentLength);
        } else {
            out.setChunked(true);
        }
        if (sse) {
            out.putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
            metrics.streamOpened();
        }
        return BodyPump.run(vertx, response, out, chain, call, idleMs)
                .onComplete(ended -> {
                    if (sse) {
                        metrics.streamClosed();
                    }
                })
                .recover(failure -> {
                    if (chain != null) {
                        chain.failed();
                    }
                    failMidAnswer(failure, out, sse, idleMs);
                    return Future.succeededFuture();
                });
    }

    private static void copyHeaders(HttpClientResponse from, HttpServerResponse to, boolean skipContentType) {
        for (var header : from.headers()) {
            String name = header.getKey();
            if (!HopByHop.isRelayedResponseHeader(name) || (skipContentType && name.equalsIgnoreCase("content-type"))) {
                continue;
            }
            to.headers().add(name, header.getValue());
        }
    }

    /**
     * The backend broke off after the answer started. An event stream gets a final error event (OpenAI clients read
     * it); any other body is cut with a reset so the client cannot take a truncated body for a whole one.
     */
    private static void failMidAnswer(Throwable failure, HttpServerResponse out, boolean sse, long idleMs) {
        if (out.ended()) {
            return;
        }
        if (out.closed()) {
            Forwarder.abandon(out);
            return;
        }
        if (sse) {
            String why = UpstreamFailure.isSilence(failure) ? "backend went silent for " + idleMs + " ms" : "backend broke off the stream";
            byte[] event = OpenAiError.body(502, why + ": " + UpstreamFailure.describe(failure), "backend_stream_interrupted");
            out.end(Buffer.buffer("data: ").appendBytes(event).appendString("\n\n"));
        } else {
            out.reset();
            Forwarder.abandon(out);
        }
    }

    private static boolean isSse(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, SSE, 0, SSE.length());
    }
}
