package dev.switchboard.upstream;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.FallbackConfig;
import dev.switchboard.stream.ReasoningMode;

/**
 * One configured backend, resolved once at start: its name, kind, replicas and the settings the data path reads
 * on every request (so nothing is looked up in the config per request).
 */
public final class Backend {

    private final String name;
    private final BackendConfig.Type type;
    private final List<Replica> replicas;
    private final Optional<String> authorization;
    private final Map<String, String> headers;
    private final BackendConfig config;

    private Backend(String name, BackendConfig.Type type, List<Replica> replicas, Optional<String> apiKey,
            BackendConfig config) {
        this.name = name;
        this.type = type;
        this.replicas = replicas;
        this.authorization = apiKey.filter(k -> !k.isBlank()).map(k -> "Bearer " + k);
        this.headers = Map.copyOf(config.headers());
        this.config = config;
    }

    /**
     * @param urls   the backend's URLs (already falling back to {@code switchboard.backend.url} for {@code default})
     * @param apiKey its key (same fallback)
     */
    static Backend of(String name, List<String> urls, Optional<String> apiKey, BackendConfig config,
            FallbackConfig fallback) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("switchboard.backends." + name + ".url is not set");
        }
        List<URI> bases = urls.stream().map(String::trim).map(Backend::stripTrailingSlash).map(URI::create).toList();
        BackendConfig.Type type = config.type().orElse(
                "https".equalsIgnoreCase(bases.get(0).getScheme()) ? BackendConfig.Type.OPENAI : BackendConfig.Type.LLAMACPP);
        boolean probe = config.health().url().isPresent()
                || config.health().enabled().orElse(type == BackendConfig.Type.LLAMACPP);
        List<Replica> replicas = bases.stream().map(base -> new Replica(base,
                probe ? Optional.of(config.health().url().filter(u -> bases.size() == 1).map(URI::create)
                        .orElseGet(() -> defaultHealthUri(base))) : Optional.empty(),
                config.slots().orElse(0),
                new CircuitBreaker(fallback.failureThreshold(), fallback.openDuration().toNanos()))).toList();
        return new Backend(name, type, replicas, apiKey, config);
    }

    /** llama.cpp serves {@code /health} at its root, beside {@code /v1}: {@code http://h:8080/v1} → {@code http://h:8080/health}. */
    static URI defaultHealthUri(URI base) {
        return base.resolve(stripTrailingSlash(rootPath(base)) + "/health");
    }

    /** llama.cpp's {@code /props} (slot count), beside {@code /v1}. */
    static URI propsUri(URI base) {
        return base.resolve(stripTrailingSlash(rootPath(base)) + "/props");
    }

    private static String rootPath(URI base) {
        String path = base.getPath() == null ? "" : base.getPath();
        return path.endsWith("/v1") ? path.substring(0, path.length() - 3) : path;
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public String name() {
        return name;
    }

    public BackendConfig.Type type() {
        return type;
    }

    public boolean llamaCpp() {
        return type == BackendConfig.Type.LLAMACPP;
    }

    public List<Replica> replicas() {
        return replicas;
    }

    /** {@code Bearer <key>} when a key is configured. */
    public Optional<String> authorization() {
        return authorization;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public long connectTimeoutMs() {
        return config.connectTimeout().toMillis();
    }

    public long idleTimeoutMs() {
        return config.idleTimeout().toMillis();
    }

    public int maxConnections() {
        return config.maxConnections();
    }

    public long queueTimeoutMs() {
        return config.queueTimeout().toMillis();
    }

    public ReasoningMode reasoning() {
        return config.reasoning();
    }

    public boolean cachedTokens() {
        return config.cachedTokens() && llamaCpp();
    }

    public long healthTimeoutMs() {
        return config.health().timeout().toMillis();
    }

    /** Models the config says it serves (the model list adds more once fetched). */
    public List<String> configuredModels() {
        return config.models().orElse(List.of());
    }

    /** Whether its slot count comes from llama.cpp's {@code /props} rather than config. */
    public boolean readsSlots() {
        return llamaCpp() && config.slots().isEmpty();
    }

    @Override
    public String toString() {
        return name;
    }
}
