package dev.switchboard.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.switchboard.config.BackendConfig;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.upstream.Backend;
import dev.switchboard.upstream.BackendRegistry;
import dev.switchboard.upstream.Replica;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * How the settings become backends, replicas and the default route (no app started). Routes, whose {@link Router} is a
 * bean with more to it, are covered end to end by {@link RoutingTest}.
 */
class RoutingConfigTest {

    private static GatewayConfig config(String... keysAndValues) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // "5s", as Quarkus reads it
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }

    private static BackendRegistry registry(String... keysAndValues) {
        return new BackendRegistry(config(keysAndValues));
    }

    private static List<String> names(List<Backend> backends) {
        return backends.stream().map(Backend::name).toList();
    }

    @Test
    void withoutNamedBackendsTheOneBackendIsDefault() {
        BackendRegistry registry = registry("switchboard.backend.url", "http://h:8080/v1", "switchboard.backend.api-key", "k");
        assertEquals(List.of("default"), names(List.copyOf(registry.all())));
        assertEquals(List.of("default"), names(registry.defaultRoute()));
        Backend backend = registry.get("default").orElseThrow();
        assertEquals(BackendConfig.Type.LLAMACPP, backend.type()); // http: a local llama.cpp unless told otherwise
        assertEquals(Optional.of("Bearer k"), backend.authorization());
    }

    @Test
    void namedBackendsReplaceItAndTheOnlyOneIsTheDefaultRoute() {
        BackendRegistry registry = registry("switchboard.backend.url", "http://h:8080/v1",
                "switchboard.backends.zen.url", "https://opencode.example/zen/v1");
        assertEquals(List.of("zen"), names(List.copyOf(registry.all())));
        assertEquals(List.of("zen"), names(registry.defaultRoute()));
        assertEquals(BackendConfig.Type.OPENAI, registry.get("zen").orElseThrow().type()); // https
    }

    @Test
    void severalNamedBackendsWithoutOneNamedDefaultHaveNoDefaultRoute() {
        BackendRegistry registry = registry("switchboard.backends.zen.url", "https://z.example/v1",
                "switchboard.backends.local.url", "http://l:8080/v1");
        assertEquals(List.of("local", "zen"), names(List.copyOf(registry.all()))); // sorted by name
        assertEquals(List.of(), registry.defaultRoute());
    }

    @Test
    void aBackendNamedDefaultTakesTheUrlAndKeyOfBackendUrl() {
        BackendRegistry registry = registry("switchboard.backend.url", "http://h:8080/v1", "switchboard.backend.api-key", "k",
                "switchboard.backends.default.cached-tokens", "true",
                "switchboard.backends.zen.url", "https://z.example/v1");
        Backend backend = registry.get("default").orElseThrow();
        assertEquals("http://h:8080/v1", backend.replicas().get(0).baseUri().toString());
        assertEquals(Optional.of("Bearer k"), backend.authorization());
        assertTrue(backend.cachedTokens());
        assertEquals(List.of("default"), names(registry.defaultRoute()));
    }

    @Test
    void severalUrlsAreReplicas() {
        Backend backend = registry("switchboard.backends.local.url", "http://a:8080/v1, http://b:8081/v1/",
                "switchboard.backends.local.health.timeout", "1s").get("local").orElseThrow();
        List<Replica> replicas = backend.replicas();
        assertEquals(2, replicas.size());
        assertEquals("a", replicas.get(0).host());
        assertEquals(8081, replicas.get(1).port());
        assertEquals("/v1/chat/completions", replicas.get(1).path("/chat/completions"));
        assertEquals("http://b:8081/health", replicas.get(1).healthUri().orElseThrow().toString());
    }

    @Test
    void theDefaultRouteIsAChainOrNone() {
        String[] two = {"switchboard.backends.zen.url", "https://z.example/v1", "switchboard.backends.local.url", "http://l/v1"};
        assertEquals(List.of("zen", "local"),
                names(registry(with(two, "switchboard.default-route", "zen,local")).defaultRoute()));
        assertEquals(List.of(), registry(with(two, "switchboard.default-route", "none")).defaultRoute());
        assertThrows(IllegalArgumentException.class, () -> registry(with(two, "switchboard.default-route", "local,nope")));
    }

    @Test
    void aNamedBackendNeedsAUrl() {
        assertThrows(IllegalArgumentException.class, () -> registry("switchboard.backends.zen.api-key", "k"));
    }

    private static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
