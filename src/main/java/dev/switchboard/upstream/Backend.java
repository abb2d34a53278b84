package dev.switchboard.upstream;

import java.net.URI;
import java.util.Optional;

import dev.switchboard.config.GatewayConfig;

/**
 * Where the backend lives, derived once from {@link GatewayConfig}: its OpenAI base URL, the key to send and
 * the URL its readiness is probed at.
 */
public record Backend(URI baseUri, Optional<String> apiKey, Optional<URI> healthUri) {

    public static Backend from(GatewayConfig.Backend config) {
        URI base = URI.create(stripTrailingSlash(config.url()));
        Optional<URI> health = config.health().enabled()
                ? Optional.of(config.health().url().map(URI::create).orElseGet(() -> defaultHealthUri(base)))
                : Optional.empty();
        return new Backend(base, config.apiKey().filter(k -> !k.isBlank()), health);
    }

    /** llama.cpp serves {@code /health} at its root, beside {@code /v1}: {@code http://h:8080/v1} → {@code http://h:8080/health}. */
    static URI defaultHealthUri(URI base) {
        String path = base.getPath() == null ? "" : base.getPath();
        if (path.endsWith("/v1")) {
            path = path.substring(0, path.length() - 3);
        }
        return base.resolve(stripTrailingSlash(path) + "/health");
    }

    public String host() {
        return baseUri.getHost();
    }

    public boolean ssl() {
        return "https".equalsIgnoreCase(baseUri.getScheme());
    }

    public int port() {
        return baseUri.getPort() > 0 ? baseUri.getPort() : ssl() ? 443 : 80;
    }

    /** The request path of an OpenAI endpoint on this backend: {@code "/chat/completions"} → {@code "/v1/chat/completions"}. */
    public String path(String endpoint) {
        return (baseUri.getRawPath() == null ? "" : baseUri.getRawPath()) + endpoint;
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
