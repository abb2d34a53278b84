package dev.switchboard.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.stream.ReasoningMode;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** One backend's settings: {@code switchboard.backend.*} (the default) or {@code switchboard.backends.<name>.*}. */
public interface BackendConfig {

    /** The kinds of backend Switchboard knows the quirks of. */
    enum Type {
        /** llama.cpp's {@code llama-server}: {@code /health}, {@code /props} slots, {@code timings}. */
        LLAMACPP,
        /** Any other OpenAI-compatible API (OpenCode Zen, OpenAI, vLLM...). */
        OPENAI
    }

    /**
     * The backend's OpenAI base URL, up to and including {@code /v1}: {@code http://127.0.0.1:8080/v1} for a local
     * llama.cpp server, {@code https://opencode.ai/zen/v1} for OpenCode Zen. Several URLs, comma-separated, are
     * replicas serving the same models: requests go to the one with the fewest in flight.
     */
    Optional<List<String>> url();

    /** {@code llamacpp} or {@code openai}. Unset: {@code openai} for an {@code https} URL, {@code llamacpp} otherwise. */
    Optional<Type> type();

    /**
     * When set, sent as {@code Authorization: Bearer <key>} in place of whatever the client sent.
     * When unset, the client's {@code Authorization} header reaches the backend as it came.
     */
    Optional<String> apiKey();

    /** Extra headers sent with every request to this backend: {@code switchboard.backends.zen.headers.x-team=blue}. */
    Map<String, String> headers();

    /** Model ids this backend serves, besides those its model list reports (for routing before the first refresh). */
    Optional<List<String>> models();

    /** Time allowed to open a connection to the backend. */
    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * Longest silence allowed from the backend: before its answer starts (prompt processing) and between two
     * bytes of an answer. Not a total cap: a stream that keeps producing runs as long as it needs.
     */
    @WithDefault("10m")
    Duration idleTimeout();

    /** Most connections open to each replica from each event loop (they are reused: keep-alive). */
    @WithDefault("256")
    int maxConnections();

    /**
     * Requests one replica takes at once. Unset: llama.cpp's {@code total_slots} from {@code /props}, no limit for
     * other backends. When every replica is full, a request waits up to {@code queue-timeout}.
     */
    Optional<Integer> slots();

    /** Longest wait for a free slot before the request falls back or gets 429 with {@code Retry-After}. */
    @WithDefault("30s")
    Duration queueTimeout();

    /** {@code passthrough} (default), {@code split} or {@code strip}: what clients see of the backend's reasoning. */
    @WithDefault("passthrough")
    ReasoningMode reasoning();

    /**
     * Add {@code usage.prompt_tokens_details.cached_tokens} to llama.cpp answers from {@code timings.cache_n}, so
     * clients see cached tokens from every backend. Off: answers are relayed unchanged.
     */
    @WithDefault("false")
    boolean cachedTokens();

    /** Readiness probe of the backend. */
    Health health();

    interface Health {
        /** Probe the backend for readiness. Unset: on for llama.cpp, off for other backends (no health endpoint). */
        Optional<Boolean> enabled();

        /**
         * URL to probe. Defaults to the backend URL's root + {@code /health} ({@code .../v1} loses its {@code /v1}),
         * which is llama.cpp's health endpoint. Setting it switches the probe on.
         */
        Optional<String> url();

        /**
         * A probe that takes longer than this counts as DOWN; a model list ({@code /v1/models}) or {@code /props} that
         * takes longer is left out, as when the backend is unreachable.
         */
        @WithName("timeout")
        @WithDefault("2s")
        Duration timeout();
    }
}
