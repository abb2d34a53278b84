package dev.switchboard.upstream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.OpenAiError;
import dev.switchboard.error.UpstreamFailure;
import dev.switchboard.log.RequestId;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.routing.Hop;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

/**
 * Sends one request along its route: each hop's backend in turn until one gives an answer worth relaying, then
 * relays that answer ({@link AnswerRelay}). A hop is passed over when its backend is down or cut off by its circuit,
 * unreachable (after retries with backoff), silent before its answer starts, full past its queue time, or answers
 * 5xx or 429 while another hop remains; all of that before any byte reaches the client. Once an answer starts, it is
 * never retried.
 *
 * <p>Why a Vert.x pipe and not the declarative REST client (measured on Quarkus 3.33.2, see README "Design notes"):
 * it cannot relay a stream faithfully. It picks the method by {@code Accept} rather than {@code "stream": true},
 * re-frames events ({@code data:[DONE]}), writes the 200 head before the backend answers, has no backpressure toward
 * the backend, and closes the backend connection after every completed stream (21 % failed streams under load).
 */
@ApplicationScoped
public class Forwarder {

    private static final Logger LOG = Logger.getLogger("switchboard.routing");

    private static final io.vertx.core.Handler<Throwable> CONNECTION_FAILURE =
            failure -> LOG.debugf("backend connection failed: %s", UpstreamFailure.describe(failure));

    private final Vertx vertx;
    private final HttpClients clients;
    private final ReplicaPicker picker;
    private final AnswerRelay relay;
    private final int retries;
    private final long backoffMs;

    public Forwarder(Vertx vertx, GatewayConfig config, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.clients = new HttpClients(vertx);
        this.picker = new ReplicaPicker(vertx);
        this.relay = new AnswerRelay(vertx, metrics);
        this.retries = config.fallback().retries();
        this.backoffMs = config.fallback().backoff().toMillis();
    }

    /**
     * Sends the call along its hops and relays the answer. The returned future completes when the client's response
     * has ended (or failed); it never fails itself.
     */
    public Future<Void> forward(RelayCall call) {
        Promise<Void> done = Promise.promise();
        hop(call, 0, 0, done);
        return done.future();
    }

    private void hop(RelayCall call, int index, int attempt, Promise<Void> done) {
        HttpServerResponse out = call.in.response();
        if (out.closed()) {
            Forwarder.abandon(out);
            done.tryComplete();
            return;
        }
        Hop hop = call.hops.get(index);
        boolean last = index == call.hops.size() - 1;
        call.backend = hop.backend();
        picker.acquire(hop.backend(), last).onComplete(picked -> {
            if (picked.failed()) {
                ReplicaPicker.NoReplica why = (ReplicaPicker.NoReplica) picked.cause();
                if (!last) {
                    next(call, index, hop, why.getMessage(), done);
                } else if (why.full) {
                    call.status = 429;
                    out.putHeader("Retry-After", "1");
                    OpenAiError.send(out, 429, "backend " + hop.backend().name() + " is busy: " + why.getMessage(),
                            "backend_busy");
                    done.tryComplete();
                } else {
                    call.status = 503;
                    OpenAiError.send(out, 503, "no backend available: " + why.getMessage(), "backend_unavailable");
                    done.tryComplete();
                }
                return;
            }
            Replica replica = picked.result();
            send(call, hop, replica).onComplete(sent -> {
                if (sent.failed()) {
                    picker.release(hop.backend(), replica);
                    failedToAnswer(call, index, attempt, hop, replica, sent.cause(), done);
                    return;
                }
                HttpClientResponse response = sent.result();
                int status = response.statusCode();
                if ((status >= 500 || status == 429) && !last) {
                    if (status >= 500) {
                        replica.circuit().failure(System.nanoTime());
                    }
                    response.request().reset(); // its body is not wanted
                    picker.release(hop.backend(), replica);
                    next(call, index, hop, "answered HTTP " + status, done);
                    return;
                }
                if (status < 500) {
                    replica.circuit().success();
                } else {
                    replica.circuit().failure(System.nanoTime());
                }
                call.status = status;
                // the slot is freed as soon as the backend's answer has ended, before the client's response ends: a
                // client sending its next request the moment it has this answer must find the slot free
                call.slot = () -> picker.release(hop.backend(), replica);
                relay.relay(call, hop.backend(), response, out)
                        .onComplete(ended -> {
                            call.releaseSlot();
                            done.tryComplete();
                        });
            });
        });
    }

    /** The backend could not be reached, or said nothing before its answer should have started. */
    private void failedToAnswer(RelayCall call, int index, int attempt, Hop hop, Replica replica, Throwable failure,
            Promise<Void> done) {
        HttpServerResponse out = call.in.response();
        if (out.closed()) {
            Forwarder.abandon(out);
            done.tryComplete();
            return;
        }
        replica.circuit().failure(System.nanoTime());
        boolean silent = UpstreamFailure.isSilence(failure);
        // a replica whose circuit this failure opened is not tried again, but the retry may go to another replica
        boolean retryable = !replica.circuit().open(System.nanoTime()) || hop.backend().replicas().size() > 1;
        if (!silent && attempt < retries && retryable) {
            long wait = backoffMs << attempt;
            LOG.infof("retrying %s in %d ms: %s", hop, wait, UpstreamFailure.describe(failure));
            vertx.setTimer(Math.max(1, wait), id -> hop(call, index, attempt + 1, done));
            return;
        }
        if (index < call.hops.size() - 1) {
            next(call, index, hop, (silent ? "no answer in time: " : "unreachable: ") + UpstreamFailure.describe(failure), done);
            return;
        }
        UpstreamFailure f = UpstreamFailure.of(failure, hop.backend().idleTimeoutMs());
        call.status = f.status();
        UpstreamFailure.send(failure, out, hop.backend().idleTimeoutMs());
        done.tryComplete();
    }

    private void next(RelayCall call, int index, Hop hop, String why, Promise<Void> done) {
        call.skipped(hop, why);
        LOG.infof("falling back from %s to %s: %s", hop, call.hops.get(index + 1), why);
        hop(call, index + 1, 0, done);
    }

    /** Sends the body to the replica and waits for the response head; the client leaving resets the request. */
    private Future<HttpClientResponse> send(RelayCall call, Hop hop, Replica replica) {
        Backend backend = hop.backend();
        HttpServerResponse out = call.in.response();
        // host, port and scheme taken apart once (Replica): setAbsoluteURI parses a java.net.URL per request
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(replica.host())
                .setPort(replica.port())
                .setSsl(replica.ssl())
                .setURI(replica.path(call.path))
                .setIdleTimeout(backend.idleTimeoutMs())
                .setHeaders(MultiMap.caseInsensitiveMultiMap());
        HopByHop.copyEndToEnd(call.in.headers(), options.getHeaders());
        if (!backend.headers().isEmpty()) {
            backend.headers().forEach(options.getHeaders()::set);
        }
        backend.authorization().ifPresent(value -> options.getHeaders().set("Authorization", value));
        String requestId = out.headers().get(RequestId.HEADER);
        if (requestId != null) { // the gateway's id for this request, the client's own when it sent one
            options.getHeaders().set(RequestId.HEADER, requestId);
        }
        Buffer body = hop.model() == null ? call.body : call.bodyFor(hop);
        return clients.of(backend).request(options).compose(request -> {
            // the client leaving at any stage ends the backend's work: llama.cpp cancels the task
            if (out.closed()) { // it left while we waited for a pooled connection
                request.reset();
                return Future.failedFuture(new IllegalStateException("client went away"));
            }
            out.closeHandler(v -> request.reset());
            // the request and its answer get the failure too and report it to the client; without a handler
            // Vert.x logs a backend's connection reset at ERROR, with no request to tell which
            request.connection().exceptionHandler(CONNECTION_FAILURE);
            return request.send(body);
        });
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
}
