package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.GatewayError;
import dev.switchboard.metrics.GatewayMetrics;
import dev.switchboard.upstream.Backend;
import dev.switchboard.upstream.BackendRegistry;
import io.vertx.core.Future;

/**
 * Chooses the backends for a requested model, in this order: a configured route (exact id or alias); the prefix form
 * {@code <backend>/<model>}; the backends whose model list (or config) has the id; the default route. Nothing
 * matching is a 404 {@code model_not_found}, before anything reaches a backend.
 */
@ApplicationScoped
public class Router {

    private final BackendRegistry registry;
    private final ModelCatalog catalog;
    private final Map<String, List<Hop>> routes = new HashMap<>();
    private final List<Hop> defaultRoute;

    public Router(BackendRegistry registry, ModelCatalog catalog, GatewayConfig config, GatewayMetrics metrics) {
        this.registry = registry;
        this.catalog = catalog;
        config.routes().forEach((name, route) -> routes.put(name, parse(name, route.to())));
        this.defaultRoute = registry.defaultRoute().stream().map(b -> new Hop(b, null)).toList();
        // the model ids a metric may carry as a tag: what is configured or listed, never whatever a client sends
        metrics.knownModels(() -> {
            java.util.Set<String> known = new java.util.HashSet<>(catalog.knownIds());
            known.addAll(routes.keySet());
            return known;
        });
    }

    private List<Hop> parse(String name, List<String> targets) {
        List<Hop> hops = new ArrayList<>();
        for (String target : targets) {
            String t = target.trim();
            int slash = t.indexOf('/');
            String backendName = slash < 0 ? t : t.substring(0, slash);
            Backend backend = registry.get(backendName).orElseThrow(() -> new IllegalArgumentException(
                    "switchboard.routes." + name + ".to names unknown backend '" + backendName + "'"));
            hops.add(new Hop(backend, slash < 0 ? null : t.substring(slash + 1)));
        }
        return List.copyOf(hops);
    }

    /** The configured aliases and what each stands for, for the model list. */
    public Map<String, List<Hop>> routes() {
        return routes;
    }

    /** The hops to try for {@code model} (null: the request named none), or a failed future with the 404. */
    public Future<List<Hop>> route(String model) {
        List<Hop> hops = resolve(model);
        if (hops != null) {
            return Future.succeededFuture(hops);
        }
        // a model the lists did not have when last fetched: fetch again (at most once per few seconds) and retry
        return catalog.refreshIfStale().map(done -> {
            List<Hop> again = resolve(model);
            if (again == null) {
                throw notFound(model);
            }
            return again;
        });
    }

    private List<Hop> resolve(String model) {
        if (model == null) {
            return defaultRoute.isEmpty() ? null : defaultRoute;
        }
        List<Hop> route = routes.get(model);
        if (route != null) {
            return route;
        }
        int slash = model.indexOf('/');
        if (slash > 0) {
            var backend = registry.get(model.substring(0, slash));
            if (backend.isPresent()) {
                return List.of(new Hop(backend.get(), model.substring(slash + 1)));
            }
        }
        List<Backend> serving = catalog.backendsServing(model);
        if (!serving.isEmpty()) {
            return serving.stream().map(b -> new Hop(b, null)).toList();
        }
        return defaultRoute.isEmpty() ? null : defaultRoute;
    }

    private static GatewayError notFound(String model) {
        return new GatewayError(404, model == null
                ? "the request names no model and no default route is configured"
                : "model '" + model + "' is not served by any backend", "model_not_found");
    }
}
