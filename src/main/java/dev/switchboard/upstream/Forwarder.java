package dev.switchboard.upstream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.BackendErrors;
import dev.switchboard.error.OpenAiError;
import dev.switchboard.error.UpstreamFailure;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Relays one request to the backend and its answer to the client as a byte pipe.
 *
 * <p>Why not the declarative REST client (measured on Quarkus 3.33.2, see README "Design notes"): it cannot relay a
 * stream faithfully. It picks the method by {@code Accept} rather than {@code "stream": true}, re-frames events
 * ({@code data:[DONE]}), writes the 200 head before the backend answers, has no backpressure toward the backend, and
 * closes the backend connection after every completed stream (21 % failed streams under load). This pipe waits for
 * the backend's head, relays status and headers, then pumps the body with backpressure both ways ({@link BodyPump}), and
 * resets the backend request when the client goes away so llama.cpp frees its slot.
 */
@ApplicationScoped
public class Forwarder {

    /** llama.cpp closes idle keep-alive connections after 5 s; drop ours first so a reused one is never stale. */
    private static final int KEEP_ALIVE_SECONDS = 4;
    private static final String SSE = "text/event-stream";

    private final Vertx vertx;
    private final Backend backend;
    private final HttpClientOptions clientOptions;
    private final PoolOptions pool;
    /**
     * One client, and so one connection pool, per event loop: a pooled connection owned by another loop would hop
     * every callback across threads (wake-ups showed in the profile). Vert.x event loops are fixed threads.
     */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    private final long idleTimeoutMs;

    public Forwarder(Vertx vertx, GatewayConfig config) {
        this.vertx = vertx;
        this.backend = Backend.from(config.backend());
        this.idleTimeoutMs = config.backend().idleTimeout().toMillis();
        this.clientOptions = new HttpClientOptions()
                .setConnectTimeout((int) config.backend().connectTimeout().toMillis())
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setTryUseCompression(false)
                .setDecompressionSupported(false)
                .setForceSni(true);
        this.pool = new PoolOptions().setHttp1MaxSize(config.backend().maxConnections());
    }

    /**
     * Sends {@code body} to the backend's {@code path} with the client's end-to-end headers and relays the answer.
     * The returned future completes when the client's response has ended (or failed); it never fails itself.
     */
    public Future<Void> forward(String path, HttpServerRequest in, Buffer body) {
        HttpServerResponse out = in.response();
        // host, port and scheme taken apart once (Backend): setAbsoluteURI parses a java.net.URL per request
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(backend.host())
                .setPort(backend.port())
                .setSsl(backend.ssl())
                .setURI(backend.path(path))
                .setIdleTimeout(idleTimeoutMs)
                .setHeaders(MultiMap.caseInsensitiveMultiMap());
        HopByHop.copyEndToEnd(in.headers(), options.getHeaders());
        backend.apiKey().ifPresent(key -> options.getHeaders().set("Authorization", "Bearer " + key));

        return client().request(options)
                .compose(request -> {
                    // the client leaving at any stage ends the backend's work: llama.cpp cancels the task
                    if (out.closed()) { // it left while we waited for a pooled connection
                        request.reset();
                        return Future.failedFuture(new IllegalStateException("client went away"));
                    }
                    out.closeHandler(v -> request.reset());
                    return request.send(body);
                })
                .compose(response -> relay(response, out), failure -> {
                    UpstreamFailure.send(failure, out, idleTimeoutMs);
                    return Future.succeededFuture();
                });
    }

    private HttpClient client() {
        HttpClient client = clients.get(Thread.currentThread());
        return client != null ? client
                : clients.computeIfAbsent(Thread.currentThread(), t -> vertx.createHttpClient(clientOptions, pool));
    }

    private Future<Void> relay(HttpClientResponse response, HttpServerResponse out) {
        if (out.closed()) {
            response.request().reset();
            abandon(out);
            return Future.succeededFuture();
        }
        int status = response.statusCode();
        if (status >= 400) {
            // error bodies are small and may need translating into OpenAI's envelope
            return response.body().map(bytes -> {
                out.setStatusCode(status).putHeader("Content-Type", OpenAiError.JSON);
                copyHeaders(response, out, true);
                out.end(Buffer.buffer(BackendErrors.normalise(status, bytes.getBytes())));
                return (Void) null;
            }).recover(failure -> {
                // the backend broke off its own error answer: the client still gets an envelope, not Quarkus's 500
                UpstreamFailure.send(failure, out, idleTimeoutMs);
                return Future.succeededFuture();
            });
        }
        out.setStatusCode(status);
        copyHeaders(response, out, false);
        String contentLength = response.getHeader("Content-Length");
        if (contentLength != null) {
            out.putHeader("Content-Length", contentLength);
        } else {
            out.setChunked(true);
        }
        boolean sse = isSse(response.getHeader("Content-Type"));
        if (sse) {
            out.putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        }
        return BodyPump.run(vertx, response, out, idleTimeoutMs)
                .recover(failure -> {
                    failMidAnswer(failure, out, sse);
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
    private void failMidAnswer(Throwable failure, HttpServerResponse out, boolean sse) {
        if (out.ended()) {
            return;
        }
        if (out.closed()) {
            abandon(out);
            return;
        }
        if (sse) {
            String why = UpstreamFailure.isSilence(failure) ? "backend went silent for " + idleTimeoutMs + " ms" : "backend broke off the stream";
            byte[] event = OpenAiError.body(502, why + ": " + UpstreamFailure.describe(failure), "backend_stream_interrupted");
            out.end(Buffer.buffer("data: ").appendBytes(event).appendString("\n\n"));
        } else {
            out.reset();
            abandon(out);
        }
    }

    /**
     * Marks the response of a client that went away as finished. Otherwise RESTEasy Reactive, seeing the resource's
     * Uni complete, would try to answer on the dead connection and log "Response has already been written".
     */
    static void abandon(HttpServerResponse out) {
        try {
            out.end();
        } catch (IllegalStateException alreadyWritten) {
            // nothing left to finish
        }
    }

    private static boolean isSse(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, SSE, 0, SSE.length());
    }
}
