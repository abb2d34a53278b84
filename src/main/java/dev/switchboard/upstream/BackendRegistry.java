package dev.switchboard.upstream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.GatewayConfig;

/**
 * Every configured backend, resolved once from {@link GatewayConfig}: the named ones, or {@code default} from
 * {@code switchboard.backend.*} ({@code BACKEND_URL}) when none is named. Everything that talks to a backend takes
 * it from here.
 */
@ApplicationScoped
public class BackendRegistry {

    public static final String DEFAULT = "default";

    private final Map<String, Backend> backends;
    private final List<Backend> defaultRoute;

    public BackendRegistry(GatewayConfig config) {
        this.backends = resolve(config);
        this.defaultRoute = defaultRoute(config, backends);
    }

    private static Map<String, Backend> resolve(GatewayConfig config) {
        BackendConfig fallbackUrl = config.backend();
        Map<String, Backend> resolved = new LinkedHashMap<>();
        if (config.backends().isEmpty()) {
            resolved.put(DEFAULT, Backend.of(DEFAULT, fallbackUrl.url().orElse(List.of()), fallbackUrl.apiKey(),
                    fallbackUrl, config.fallback()));
            return resolved;
        }
        // sorted by name: the order backends are listed in and tried in when several serve one model
        new TreeMap<>(config.backends()).forEach((name, settings) -> {
            boolean isDefault = DEFAULT.equals(name);
            List<String> urls = settings.url().or(() -> isDefault ? fallbackUrl.url() : Optional.empty()).orElse(List.of());
            Optional<String> key = settings.apiKey().or(() -> isDefault ? fallbackUrl.apiKey() : Optional.empty());
            if (name.contains("/")) {
                throw new IllegalArgumentException("backend name '" + name + "' must not contain '/'");
            }
            resolved.put(name, Backend.of(name, urls, key, settings, config.fallback()));
        });
        return resolved;
    }

    private static List<Backend> defaultRoute(GatewayConfig config, Map<String, Backend> backends) {
        if (config.defaultRoute().isPresent()) {
            List<Backend> route = new ArrayList<>();
            for (String name : config.defaultRoute().get()) {
                if (name.isBlank() || name.equalsIgnoreCase("none")) {
                    continue;
                }
                Backend backend = backends.get(name.trim());
                if (backend == null) {
                    throw new IllegalArgumentException("switchboard.default-route names unknown backend '" + name + "'");
                }
                route.add(backend);
            }
            return List.copyOf(route);
        }
        if (backends.containsKey(DEFAULT)) {
            return List.of(backends.get(DEFAULT));
        }
        return backends.size() == 1 ? List.copyOf(backends.values()) : List.of();
    }

    public Collection<Backend> all() {
        return backends.values();
    }

    public Optional<Backend> get(String name) {
        return Optional.ofNullable(backends.get(name));
    }

    /** Backends tried, in order, for a model nothing else routes; empty when such models get 404. */
    public List<Backend> defaultRoute() {
        return defaultRoute;
    }
}
