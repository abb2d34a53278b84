package dev.switchboard.limits;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.LimitsConfig;
import dev.switchboard.error.OpenAiError;
import dev.switchboard.log.AccessLog;
import dev.switchboard.stream.StreamObserver;
import dev.switchboard.stream.Usage;
import dev.switchboard.stream.UsageTap;
import dev.switchboard.upstream.RelayCall;
import io.quarkus.arc.InjectableInstance;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.RedisAPI;

/**
 * Rate limits ({@code switchboard.limits.*}): requests and tokens per minute for each client, the client being the
 * gateway key (by its fingerprint) when gateway keys are on, else the client's IP address. Only the relayed
 * endpoints count ({@code POST /v1/chat/completions}, {@code /v1/completions}, {@code /v1/embeddings}).
 *
 * <p>A request is counted when it is let in; the tokens of its answer ({@code usage.total_tokens}, read by the
 * answer's {@link UsageTap}) when it ends. A request arriving when either count has reached its limit gets 429
 * {@code rate_limit_exceeded} in OpenAI's envelope with {@code Retry-After}, and nothing of it reaches a backend.
 * Every answer on these endpoints, refusals and successes alike, carries OpenAI's {@code x-ratelimit-*} headers for
 * the limits configured (the backend's own are replaced).
 *
 * <p>A Vert.x route right after the gateway keys' (so the key is known, and a request without one is refused before
 * it is counted), before the body is read. With no limit configured nothing is installed.
 */
@ApplicationScoped
public class RateLimits {

    /** Right after {@code GatewayKeys} (-299), itself after Quarkus's CORS filter. */
    static final int ORDER = -298;
    static final long WINDOW_MS = 60_000;

    private static final Logger LOG = Logger.getLogger(RateLimits.class);
    private static final Set<String> PATHS = Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings");

    void install(@Observes Router router, GatewayConfig config, Config mp, Vertx vertx,
            InjectableInstance<RedisAPI> redis) {
        LimitsConfig limits = config.limits();
        long requestLimit = limit(limits.requestsPerMinute(), "requests-per-minute");
        long tokenLimit = limit(limits.tokensPerMinute(), "tokens-per-minute");
        Optional<String> hosts = mp.getOptionalValue("quarkus.redis.hosts", String.class);
        if (requestLimit <= 0 && tokenLimit <= 0) {
            if (hosts.isPresent()) {
                LOG.info("a Redis URL is set but no rate limit (switchboard.limits.*-per-minute): Redis is not used");
            }
            return;
        }
        if (tokenLimit > 0 && !config.accounting()) {
            throw new IllegalStateException("switchboard.limits.tokens-per-minute needs switchboard.accounting=true:"
                    + " tokens are counted from the answers' usage");
        }
        LocalCounters local = new LocalCounters(WINDOW_MS);
        vertx.setPeriodic(WINDOW_MS, id -> local.sweep());
        Counters counters = local;
        String where = "memory";
        if (hosts.isPresent()) {
            where = "Redis " + redacted(hosts.get());
            counters = new RedisCounters(vertx, redis.get(), local, WINDOW_MS, limits.redisTimeout().toMillis(),
                    redacted(hosts.get()));
        }
        Limiter limiter = new Limiter(counters, requestLimit, tokenLimit);
        router.route().order(ORDER).handler(limiter::handle);
        LOG.infof("rate limits per %s: %s requests and %s tokens per minute, counted in %s",
                mp.getOptionalValue("switchboard.auth.api-keys", String.class).isPresent()
                        || mp.getOptionalValue("switchboard.auth.keys-file", String.class).isPresent()
                        ? "gateway key" : "client address",
                requestLimit > 0 ? requestLimit : "unlimited", tokenLimit > 0 ? tokenLimit : "unlimited", where);
    }

    private static long limit(OptionalLong value, String name) {
        if (value.isPresent() && value.getAsLong() < 1) {
            throw new IllegalStateException("switchboard.limits." + name + " must be at least 1 (unset: no limit)");
        }
        return value.orElse(0);
    }

    /** A Redis URL without its password, for the log. */
    static String redacted(String url) {
        int at = url.lastIndexOf('@');
        int scheme = url.indexOf("://");
        return at < 0 || scheme < 0 || at < scheme ? url : url.substring(0, scheme + 3) + "***" + url.substring(at);
    }

    /** The client a request counts for: its gateway key's fingerprint, else its address. */
    static String client(RoutingContext rc) {
        String key = AccessLog.keyUsed(rc);
        if (key != null) {
            return "key:" + key;
        }
        SocketAddress address = rc.request().remoteAddress();
        String host = address == null ? null : address.hostAddress();
        return "ip:" + (host == null ? "unknown" : host);
    }

    static final class Limiter {
        private final Counters counters;
        private final long requestLimit;
        private final long tokenLimit;

        Limiter(Counters counters, long requestLimit, long tokenLimit) {
            this.counters = counters;
            this.requestLimit = requestLimit;
            this.tokenLimit = tokenLimit;
        }

        void handle(RoutingContext rc) {
            if (!PATHS.contains(rc.normalizedPath()) || !"POST".equals(rc.request().method().name())) {
                rc.next();
                return;
            }
            String client = client(rc);
            var admitted = counters.admit(client, requestLimit, tokenLimit);
            if (admitted.isComplete()) { // in memory: no pause, no callback
                decide(rc, client, admitted.result());
                return;
            }
            rc.request().pause(); // the body waits for the decision; RequestBody resumes it
            admitted.onComplete(ar -> decide(rc, client, ar.result()));
        }

        private void decide(RoutingContext rc, String client, Window window) {
            HttpServerResponse response = rc.response();
            if (!window.admitted()) {
                refuse(rc, window);
                return;
            }
            // set when the head is written, so that they replace any the backend sent
            rc.addHeadersEndHandler(v -> headers(response.headers(), window));
            if (tokenLimit > 0) {
                // on the next turn of the event loop: a JSON answer's usage is read just after its response ends
                // (ObserverChain.finish), so not yet when the end handlers run
                rc.addEndHandler(ended -> rc.vertx().runOnContext(
                        v -> counters.record(client, tokens(RelayCall.of(rc)))));
            }
            rc.next();
        }

        private void refuse(RoutingContext rc, Window window) {
            boolean requests = requestLimit > 0 && window.requests() >= requestLimit;
            String message = requests
                    ? "Rate limit reached for requests per minute: limit " + requestLimit + ", used "
                            + window.requests()
                    : "Rate limit reached for tokens per minute: limit " + tokenLimit + ", used " + window.tokens();
            long seconds = Math.max(1, (window.resetMs() + 999) / 1000);
            HttpServerResponse response = rc.response();
            headers(response.headers(), window);
            response.putHeader("Retry-After", Long.toString(seconds));
            response.putHeader("retry-after-ms", Long.toString(Math.max(1, window.resetMs())));
            rc.request().resume(); // the body is not wanted; let the connection read past it
            OpenAiError.send(response, 429, message + ". Please try again in " + duration(window.resetMs()) + ".",
                    "rate_limit_exceeded");
        }

        private void headers(MultiMap headers, Window window) {
            String reset = duration(window.resetMs());
            if (requestLimit > 0) {
                headers.set("x-ratelimit-limit-requests", Long.toString(requestLimit));
                headers.set("x-ratelimit-remaining-requests", Long.toString(Math.max(0, requestLimit - window.requests())));
                headers.set("x-ratelimit-reset-requests", reset);
            }
            if (tokenLimit > 0) {
                headers.set("x-ratelimit-limit-tokens", Long.toString(tokenLimit));
                headers.set("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, tokenLimit - window.tokens())));
                headers.set("x-ratelimit-reset-tokens", reset);
            }
        }
    }

    /** The tokens an answer reported: {@code total_tokens}, else prompt plus completion; 0 when unknown. */
    static long tokens(RelayCall call) {
        if (call == null) {
            return 0;
        }
        for (StreamObserver observer : call.observersInUse()) {
            if (observer instanceof UsageTap tap) {
                Usage usage = tap.usage();
                if (usage.total() >= 0) {
                    return usage.total();
                }
                return Math.max(0, usage.prompt()) + Math.max(0, usage.completion());
            }
        }
        return 0;
    }

    /** A duration the way OpenAI writes its reset headers: {@code 250ms}, {@code 6s}, {@code 59.5s}, {@code 1m0s}. */
    static String duration(long ms) {
        if (ms < 1000) {
            return Math.max(0, ms) + "ms";
        }
        long minutes = ms / 60_000;
        long rest = ms % 60_000;
        StringBuilder s = new StringBuilder();
        if (minutes > 0) {
            s.append(minutes).append('m');
        }
        s.append(rest / 1000);
        long millis = rest % 1000;
        if (millis > 0) {
            String fraction = String.format("%03d", millis);
            s.append('.').append(fraction.replaceAll("0+$", ""));
        }
        return s.append('s').toString();
    }
}
