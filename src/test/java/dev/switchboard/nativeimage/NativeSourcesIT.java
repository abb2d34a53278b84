package dev.switchboard.nativeimage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads the native-image configuration that {@code ./mvnw package -Dnative -Dquarkus.native.sources-only=true}
 * writes (no GraalVM needed) and checks that what Switchboard needs by reflection in a native binary is registered.
 *
 * <p>Switchboard maps no class to JSON by reflection: bodies are relayed as bytes and the few it writes are built as
 * Vert.x {@code JsonObject}s. A class added later that is serialised by hand must carry {@link RegisterForReflection};
 * this test then fails if the generated configuration lacks it. CI runs it after the sources-only build
 * ({@code -Dnative.sources.required=true}); in a plain {@code verify} there are no native sources and it is skipped.
 */
class NativeSourcesIT {

    private static final Path SOURCES = Path.of("target", "native-sources");
    private static final Path CLASSES = Path.of("target", "classes");

    /** Instantiated reflectively at run time: the config mappings (the REST clients' headers factory is now built by hand). */
    private static final List<String> ALWAYS_NEEDED = List.of(
            "dev.switchboard.config.GatewayConfig$$CMImpl",
            "dev.switchboard.config.GatewayConfig$RouteConfig$$CMImpl",
            "dev.switchboard.config.BackendConfig$$CMImpl",
            "dev.switchboard.config.BackendConfig$Health$$CMImpl",
            "dev.switchboard.config.FallbackConfig$$CMImpl",
            "dev.switchboard.config.ModelsConfig$$CMImpl",
            "dev.switchboard.config.LimitsConfig$$CMImpl");

    private static Set<String> registered;
    private static String args;

    @BeforeAll
    static void read() throws IOException {
        boolean required = Boolean.getBoolean("native.sources.required");
        assumeTrue(required || Files.isDirectory(SOURCES), "no native sources: build with -Dnative -Dquarkus.native.sources-only=true");
        assertTrue(Files.isDirectory(SOURCES), "native sources missing at " + SOURCES.toAbsolutePath());
        args = Files.readString(SOURCES.resolve("native-image.args"), StandardCharsets.UTF_8);
        registered = new TreeSet<>();
        Path runner;
        try (Stream<Path> files = Files.list(SOURCES)) {
            runner = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
        }
        try (JarFile jar = new JarFile(runner.toFile())) {
            var entry = jar.getEntry("META-INF/native-image/reflect-config.json");
            try (InputStream in = jar.getInputStream(entry)) {
                JsonArray config = new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                for (Object item : config) {
                    registered.add(((JsonObject) item).getString("name"));
                }
            }
        }
    }

    @Test
    void classesNeededByReflectionAreRegistered() {
        for (String name : ALWAYS_NEEDED) {
            assertTrue(registered.contains(name), name + " is not registered for reflection");
        }
    }

    @Test
    void everyClassMarkedForReflectionIsRegistered() throws Exception {
        List<String> marked = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (Class.forName(name, false, getClass().getClassLoader()).isAnnotationPresent(RegisterForReflection.class)) {
                    marked.add(name);
                }
            }
        }
        for (String name : marked) {
            assertTrue(registered.contains(name), name + " is marked @RegisterForReflection but not registered");
        }
    }

    @Test
    void buildArgumentsKeepTheBinaryStrict() {
        assertTrue(args.contains("--no-fallback"), args);
        assertFalse(args.contains("--initialize-at-build-time=dev.switchboard"),
                "Switchboard classes must initialise at run time: no socket, thread, Random or clock in the image");
    }
}
