package dev.switchboard.limits;

import java.util.List;

import org.jboss.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

/**
 * Counts in Redis, shared by every replica pointed at the same server. Each client has one hash,
 * {@code switchboard:limits:<client>} with fields {@code requests} and {@code tokens}, expiring one window after
 * the client's first request; each change is one Lua script, so concurrent replicas never lose a count or let in a
 * request past the limit.
 *
 * <p>When Redis fails or is slower than the timeout, the request is counted in this replica's memory instead
 * ({@link LocalCounters}): the gateway keeps answering, and each replica still holds every client to the limit on
 * its own (so the clients get up to the limit times the replicas). A WARN says so when it starts, at most once a
 * minute while it lasts, and an INFO when Redis answers again.
 */
final class RedisCounters implements Counters {

    private static final Logger LOG = Logger.getLogger(RateLimits.class);

    static final String PREFIX = "switchboard:limits:";

    /**
     * KEYS[1] the client's hash; ARGV request limit, token limit (0: none), window in ms. Returns
     * {admitted (1/0), requests, tokens, ms until the window ends}. A hash left without expiry gets one.
     */
    static final String ADMIT = """
            local ttl = redis.call('PTTL', KEYS[1])
            local requests = tonumber(redis.call('HGET', KEYS[1], 'requests') or '0')
            local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens') or '0')
            local rl = tonumber(ARGV[1])
            local tl = tonumber(ARGV[2])
            local admitted = 1
            if (rl > 0 and requests >= rl) or (tl > 0 and tokens >= tl) then
              admitted = 0
            else
              requests = redis.call('HINCRBY', KEYS[1], 'requests', 1)
            end
            if ttl == -1 or (ttl == -2 and admitted == 1) then
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              ttl = tonumber(ARGV[3])
            elseif ttl < 0 then
              ttl = 0
            end
            return {admitted, requests, tokens, ttl}
            """;

    /** KEYS[1] the client's hash; ARGV tokens, window in ms. Returns the tokens counted in the window. */
    static final String RECORD = """
            local tokens = redis.call('HINCRBY', KEYS[1], 'tokens', ARGV[1])
            if redis.call('PTTL', KEYS[1]) == -1 then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return tokens
            """;

    private static final long WARN_EVERY_NANOS = 60_000_000_000L;

    private final Vertx vertx;
    private final RedisAPI redis;
    private final LocalCounters fallback;
    private final long windowMs;
    private final long timeoutMs;
    private final String where;

    private volatile boolean failing;
    private volatile long lastWarn;

    RedisCounters(Vertx vertx, RedisAPI redis, LocalCounters fallback, long windowMs, long timeoutMs, String where) {
        this.vertx = vertx;
        this.redis = redis;
        this.fallback = fallback;
        this.windowMs = windowMs;
        this.timeoutMs = timeoutMs;
        this.where = where;
    }

    static String key(String client) {
        return PREFIX + client;
    }

    @Override
    public Future<Window> admit(String client, long requestLimit, long tokenLimit) {
        Context context = vertx.getOrCreateContext();
        Promise<Window> result = Promise.promise();
        long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> {
            if (!result.future().isComplete()) {
                failed("no answer within " + timeoutMs + " ms");
                result.tryComplete(fallback.admitNow(client, requestLimit, tokenLimit));
            }
        });
        redis.eval(List.of(ADMIT, "1", key(client), Long.toString(Math.max(0, requestLimit)),
                Long.toString(Math.max(0, tokenLimit)), Long.toString(windowMs))).onComplete(ar ->
                context.runOnContext(v -> {
                    vertx.cancelTimer(timer);
                    if (result.future().isComplete()) {
                        return; // timed out: counted locally already
                    }
                    Window window = ar.succeeded() ? window(ar.result()) : null;
                    if (window == null) {
                        failed(ar.succeeded() ? "unexpected answer " + ar.result() : String.valueOf(ar.cause()));
                        result.tryComplete(fallback.admitNow(client, requestLimit, tokenLimit));
                    } else {
                        recovered();
                        result.tryComplete(window);
                    }
                }));
        return result.future();
    }

    @Override
    public void record(String client, long tokens) {
        if (tokens <= 0) {
            return;
        }
        redis.eval(List.of(RECORD, "1", key(client), Long.toString(tokens), Long.toString(windowMs)))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        failed(String.valueOf(ar.cause()));
                        fallback.record(client, tokens);
                    }
                });
    }

    private static Window window(Response r) {
        try {
            if (r == null || r.size() != 4) {
                return null;
            }
            return new Window(r.get(0).toLong() == 1, r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void failed(String why) {
        long now = System.nanoTime();
        if (!failing || now - lastWarn >= WARN_EVERY_NANOS) {
            lastWarn = now;
            LOG.warnf("rate limits: Redis at %s failed (%s); counting in this replica's memory until it answers", where,
                    why);
        }
        failing = true;
    }

    private void recovered() {
        if (failing) {
            failing = false;
            LOG.infof("rate limits: Redis at %s answers again; counters shared again", where);
        }
    }
}
