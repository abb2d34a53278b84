package dev.switchboard.config;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * How Switchboard moves past a failing backend. All of it happens before the first byte reaches the client: once
 * an answer has started, it is never retried.
 */
public interface FallbackConfig {

    /** Retries on the same backend after a connection failure, before moving to the next one in the chain. */
    @WithDefault("1")
    int retries();

    /** Wait before the first retry; doubled for each further one. */
    @WithDefault("100ms")
    Duration backoff();

    /** Consecutive failures (unreachable, 5xx, no answer in time) after which a replica is skipped. */
    @WithDefault("3")
    int failureThreshold();

    /** How long a replica is skipped once its circuit opens; then one request tries it again. */
    @WithDefault("30s")
    Duration openDuration();

    /** How often each backend's readiness (and llama.cpp's slot count) is probed in the background. */
    @WithDefault("10s")
    Duration probeInterval();
}
