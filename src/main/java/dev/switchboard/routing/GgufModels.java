package dev.switchboard.routing;

import java.nio.file.Path;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.gguf.GgufModel;
import dev.switchboard.gguf.ModelsDir;
import dev.switchboard.upstream.Backend;
import dev.switchboard.upstream.BackendRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;

/**
 * The GGUF files of {@code switchboard.models.dir}, read once at start (headers only) and listed in
 * {@code /v1/models} as models of the llama.cpp backend that loads them by name (its router mode).
 */
@ApplicationScoped
public class GgufModels {

    private static final Logger LOG = Logger.getLogger("switchboard.models");

    private final GatewayConfig config;
    private final BackendRegistry registry;
    private final ModelCatalog catalog;

    public GgufModels(GatewayConfig config, BackendRegistry registry, ModelCatalog catalog) {
        this.config = config;
        this.registry = registry;
        this.catalog = catalog;
    }

    void scan(@Observes StartupEvent start) {
        if (config.models().dir().isEmpty()) {
            return;
        }
        Path dir = config.models().dir().get();
        Backend backend = config.models().dirBackend()
                .map(name -> registry.get(name).orElseThrow(() ->
                        new IllegalArgumentException("switchboard.models.dir-backend names unknown backend '" + name + "'")))
                .orElseGet(() -> registry.defaultRoute().isEmpty() ? registry.all().iterator().next()
                        : registry.defaultRoute().get(0));
        List<JsonObject> models = ModelsDir.scan(dir).stream().map(m -> entry(m, backend.name())).toList();
        LOG.infof("%d GGUF model(s) in %s, served by backend %s", models.size(), dir, backend.name());
        catalog.extra(() -> models);
    }

    static JsonObject entry(GgufModel model, String backend) {
        JsonObject gguf = new JsonObject()
                .put("architecture", model.architecture())
                .put("context_length", model.contextLength())
                .put("parameter_count", model.parameterCount())
                .put("chat_template", model.hasChatTemplate())
                .put("size", model.fileSize());
        model.name().ifPresent(name -> gguf.put("name", name));
        return new JsonObject().put("id", model.id()).put("object", "model").put("created", 0)
                .put("owned_by", "llamacpp").put("backend", backend).put("gguf", gguf);
    }
}
