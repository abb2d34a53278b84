package dev.switchboard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.WithDefault;

/** The model list served at {@code /v1/models}: the union of every backend's, refreshed in the background. */
public interface ModelsConfig {

    /** How long a backend's model list is served before it is fetched again. */
    @WithDefault("60s")
    Duration ttl();

    /**
     * A folder of {@code *.gguf} files to list (with their architecture, context length, parameter count, chat
     * template and size), served by {@code dir-backend}: llama.cpp's router mode loads models by name from it.
     */
    Optional<Path> dir();

    /** The llama.cpp backend that serves the models of {@code dir}. Unset: the default route's first backend. */
    Optional<String> dirBackend();
}
