package dev.switchboard.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Switchboard's settings. Environment variables map onto these the SmallRye way
 * ({@code SWITCHBOARD_BACKEND_URL}); the short forms {@code BACKEND_URL}, {@code BACKEND_API_KEY} and
 * {@code SWITCHBOARD_API_KEYS} are wired in {@code application.properties}.
 *
 * <p>The simple case is one backend, {@code switchboard.backend.*}, named {@code default}. Named backends
 * ({@code switchboard.backends.<name>.*}) replace it as soon as one is configured; an entry named {@code default}
 * takes its URL and key from {@code switchboard.backend.*} when it sets none, so {@code BACKEND_URL} plus
 * {@code switchboard.backends.default.reasoning=split} configures the one backend.
 */
@ConfigMapping(prefix = "switchboard")
public interface GatewayConfig {

    /** The backend named {@code default}, used when no named backend is configured. */
    BackendConfig backend();

    /** Named backends. */
    Map<String, BackendConfig> backends();

    /**
     * Routes by requested model id or alias: {@code switchboard.routes."<model>".to=local/qwen3-8b,zen/glm-4.6}.
     * Quote ids that hold dots.
     */
    Map<String, RouteConfig> routes();

    /**
     * Backends tried, in order, for a model no route names, no {@code <backend>/} prefix selects and no backend
     * lists. Unset: {@code default} when that backend exists, else the only backend when there is one, else none
     * (such models get 404 {@code model_not_found}). {@code none} switches it off.
     */
    Optional<List<String>> defaultRoute();

    /** Retries, circuit breaking and queueing in front of the backends. */
    FallbackConfig fallback();

    /** The model list and model discovery. */
    ModelsConfig models();

    /** What readiness requires of the backends. */
    ReadinessConfig readiness();

    /**
     * Read every answer's token usage (asking streams for it), for the metrics, {@code /v1/usage} and the reasoning
     * log. Off: answers are relayed without being read, unless a backend's {@code reasoning} setting rewrites them.
     */
    @WithDefault("true")
    boolean accounting();

    /**
     * Longest reasoning text written per request on the {@code switchboard.reasoning} logger when it is at DEBUG
     * (its length is logged at INFO always).
     */
    @WithDefault("2000")
    int reasoningLogMaxChars();

    /** Largest request body accepted, in bytes; larger bodies get 413 before anything reaches the backend. */
    @WithDefault("10485760")
    long maxBodySize();

    /** The keys clients must present to use the gateway; none configured means every request is let in. */
    Auth auth();

    /** Rate limits per gateway key or client address; none configured means none is applied. */
    LimitsConfig limits();

    interface RouteConfig {
        /**
         * The chain of targets, tried in order (fallback): each {@code <backend>} or {@code <backend>/<model>}; a model
         * given here replaces the requested one in the body sent to that backend.
         */
        List<String> to();
    }

    interface ReadinessConfig {
        /**
         * {@code default-route}: ready when a backend of the default route is up (any backend, when there is no
         * default route); {@code any}: when any backend is up; {@code all}: when every backend is up.
         */
        @WithDefault("default-route")
        String require();
    }

    interface Auth {
        /**
         * Gateway keys, comma-separated ({@code SWITCHBOARD_API_KEYS}). With at least one key here or in
         * {@link #keysFile()}, every request needs {@code Authorization: Bearer <key>} with one of them (401
         * otherwise), except the health and metrics endpoints unless {@link #protectManagement()}; the client's
         * {@code Authorization} header is then never forwarded (a backend gets its own {@code api-key}, or none).
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
