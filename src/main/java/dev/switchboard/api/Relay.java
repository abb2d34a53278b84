package dev.switchboard.api;

import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.switchboard.error.BackendErrors;
import dev.switchboard.error.OpenAiError;
import dev.switchboard.error.UpstreamFailure;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.log.AccessLog;
import dev.switchboard.upstream.BackendClient;
import dev.switchboard.upstream.BackendClients;
import dev.switchboard.upstream.Forwarder;
import dev.switchboard.upstream.HopByHop;
import dev.switchboard.upstream.RequestPeek;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * The data path shared by the POST endpoints: check the body, then hand it to the backend untouched. A JSON answer
 * goes through the declarative REST client; an SSE stream ({@code "stream": true}) goes through the Vert.x pipe in
 * {@link Forwarder}, because the REST client cannot relay a stream faithfully (reasons there and in the README).
 * Both write the client's response themselves, so the status, headers and bytes are the backend's.
 */
@ApplicationScoped
public class Relay {

    private final Forwarder forwarder;
    private final BackendClients clients;
    private final long idleTimeoutMs;

    public Relay(Forwarder forwarder, BackendClients clients, GatewayConfig config) {
        this.forwarder = forwarder;
        this.clients = clients;
        this.idleTimeoutMs = config.backend().idleTimeout().toMillis();
    }

    public Uni<Void> post(String path, BiFunction<BackendClient, byte[], Uni<Response>> call, byte[] body,
            RoutingContext rc) {
        HttpServerResponse out = rc.response();
        RequestPeek peek;
        try {
            peek = RequestPeek.of(body);
        } catch (RequestPeek.BadRequest e) {
            OpenAiError.send(out, 400, e.getMessage(), "invalid_request_body");
            return Uni.createFrom().voidItem();
        }
        AccessLog.describe(rc, peek.model(), peek.stream());
        if (peek.stream()) {
            return forwarder.forward(path, rc.request(), Buffer.buffer(body));
        }
        return Uni.createFrom().emitter(done -> {
            Cancellable pending = call.apply(clients.api(), body)
                    .subscribe().with(response -> {
                        write(response, out);
                        done.complete(null);
                    }, failure -> {
                        UpstreamFailure.send(failure, out, idleTimeoutMs);
                        done.complete(null);
                    });
            // the client left: cancel the backend call so llama.cpp stops generating
            out.closeHandler(v -> {
                pending.cancel();
                done.complete(null);
            });
        });
    }

    private static void write(Response response, HttpServerResponse out) {
        if (out.closed()) {
            return;
        }
        int status = response.getStatus();
        byte[] bytes = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
        out.setStatusCode(status);
        response.getStringHeaders().forEach((name, values) -> {
            if (HopByHop.isRelayedResponseHeader(name)) {
                out.headers().add(name, values);
            }
        });
        if (status >= 400) {
            bytes = BackendErrors.normalise(status, bytes);
            out.headers().set("Content-Type", OpenAiError.JSON);
        }
        out.end(Buffer.buffer(bytes));
    }
}
