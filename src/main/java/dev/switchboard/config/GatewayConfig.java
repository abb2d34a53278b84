package dev.switchboard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Switchboard's settings. Environment variables map onto these the SmallRye way
 * ({@code SWITCHBOARD_BACKEND_URL}); the short forms {@code BACKEND_URL} and {@code BACKEND_API_KEY}
 * are wired in {@code application.properties}.
 */
@ConfigMapping(prefix = "switchboard")
public interface GatewayConfig {

    /** The one backend that answers every request. */
    Backend backend();

    /** Largest request body accepted, in bytes; larger bodies get 413 before anything reaches the backend. */
    @WithDefault("10485760")
    long maxBodySize();

    /** The keys clients must present to use the gateway; none configured means every request is let in. */
    Auth auth();

    interface Backend {
        /**
         * The backend's OpenAI base URL, up to and including {@code /v1}: {@code http://127.0.0.1:8080/v1} for a
         * local llama.cpp server, {@code https://opencode.ai/zen/v1} for OpenCode Zen.
         */
        @WithDefault("http://127.0.0.1:8080/v1")
        String url();

        /**
         * When set, sent as {@code Authorization: Bearer <key>} in place of whatever the client sent.
         * When unset, the client's {@code Authorization} header reaches the backend as it came.
         */
        Optional<String> apiKey();

        /** Time allowed to open a connection to the backend. */
        @WithDefault("5s")
        Duration connectTimeout();

        /**
         * Longest silence allowed from the backend: before its answer starts (prompt processing) and between two
         * bytes of an answer. Not a total cap: a stream that keeps producing runs as long as it needs.
         */
        @WithDefault("10m")
        Duration idleTimeout();

        /** Most connections open to the backend from each event loop (they are reused: keep-alive). */
        @WithDefault("256")
        int maxConnections();

        /** Readiness probe of the backend. */
        Health health();
    }

    interface Health {
        /** Probe the backend for readiness. Switch off for providers without a health endpoint. */
        @WithDefault("true")
        boolean enabled();

        /**
         * URL to probe. Defaults to the backend URL's root + {@code /health} ({@code .../v1} loses its {@code /v1}),
         * which is llama.cpp's health endpoint.
         */
        Optional<String> url();

        /** A probe that takes longer than this counts as DOWN. */
        @WithName("timeout")
        @WithDefault("2s")
        Duration timeout();
    }

    interface Auth {
        /**
         * Gateway keys, comma-separated ({@code SWITCHBOARD_API_KEYS}). With at least one key here or in
         * {@link #keysFile()}, every request needs {@code Authorization: Bearer <key>} with one of them (401
         * otherwise), except the health and metrics endpoints unless {@link #protectManagement()}; the client's
         * {@code Authorization} header is then never forwarded (the backend gets {@code backend.api-key}, or none).
         * Blank entries are ignored.
         */
        Optional<List<String>> apiKeys();

        /**
         * A file of gateway keys, read once at start-up: one key per line; blank lines and lines starting with
         * {@code #} are ignored. Adds to {@link #apiKeys()}. A file that cannot be read, or holds no key, stops
         * Switchboard from starting rather than leaving it open.
         */
        Optional<Path> keysFile();

        /**
         * Whether {@code /q/health*} and {@code /q/metrics*} need a gateway key too. Off by default, so that probes
         * and scrapers need no key; has no effect while no gateway key is configured.
         */
        @WithDefault("false")
        boolean protectManagement();
    }
}
