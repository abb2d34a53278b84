package dev.switchboard.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import io.smallrye.config.WithDefault;

/**
 * Rate limits per client ({@code switchboard.limits.*}): per gateway key when gateway keys are on, else per client
 * IP address. Counted over a window of one minute that starts with the client's first request; over a limit, a
 * request gets 429 {@code rate_limit_exceeded} and nothing of it reaches a backend. With neither limit set nothing is
 * installed.
 */
public interface LimitsConfig {

    /**
     * Requests a client may make per minute to {@code /v1/chat/completions}, {@code /v1/completions} and
     * {@code /v1/embeddings}; counted when a request is let in. Unset: no limit. At least 1.
     */
    OptionalLong requestsPerMinute();

    /**
     * Tokens (the answers' {@code usage.total_tokens}) a client may use per minute. Counted when an answer ends, so
     * a request is refused once the tokens already used in the window reach the limit; the answer that crosses it is
     * not cut short. Needs {@code switchboard.accounting=true}. Unset: no limit. At least 1.
     */
    OptionalLong tokensPerMinute();

    /**
     * A Redis server holding the counters, so that several Switchboard replicas share them
     * ({@code redis://host:6379}, {@code redis://:password@host:6379/0}, {@code rediss://} for TLS). It becomes
     * {@code quarkus.redis.hosts} (see {@code application.properties}), which may be set instead. Unset: counters
     * in memory, per replica.
     */
    Optional<String> redisUrl();

    /**
     * Longest wait for Redis on a request's way in. Past it, or when Redis fails, the request is counted in this
     * replica's memory instead (a WARN says so), until Redis answers again.
     */
    @WithDefault("250ms")
    Duration redisTimeout();
}
