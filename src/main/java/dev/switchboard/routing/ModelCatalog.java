package dev.switchboard.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.error.BackendErrors;
import dev.switchboard.error.OpenAiError;
import dev.switchboard.error.UpstreamFailure;
import dev.switchboard.upstream.Backend;
import dev.switchboard.upstream.BackendClients;
import dev.switchboard.upstream.BackendRegistry;
import dev.switchboard.upstream.ModelList;
import dev.switchboard.upstream.Replica;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Which models each backend serves: its model list (fetched through the REST client, kept for
 * {@code switchboard.models.ttl}, refetched in the background once older), the ids its config lists, and the GGUF
 * files of {@code switchboard.models.dir}. A backend that cannot be reached keeps its last list; one never reached
 * is left out of the union rather than failing it.
 */
@ApplicationScoped
public class ModelCatalog {

    /** A model missing from every list refetches them at most this often. */
    private static final long MISS_REFRESH_NANOS = 5_000_000_000L;

    /** One backend's last good list, and when it was fetched. */
    record Entry(List<JsonObject> models, Set<String> ids, long fetchedAt) {
    }

    /** What a fetch of every list gave: the union, or the error to answer when no backend gave a list. */
    public record Snapshot(List<JsonObject> models, Response error) {
    }

    private static final Uni<Optional<Response>> NONE = Uni.createFrom().item(Optional.empty());

    private final BackendRegistry registry;
    private final BackendClients clients;
    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile Supplier<List<JsonObject>> extra = List::of;
    private volatile long lastMissRefresh;

    public ModelCatalog(BackendRegistry registry, BackendClients clients, GatewayConfig config) {
        this.registry = registry;
        this.clients = clients;
        this.ttlNanos = config.models().ttl().toNanos();
    }

    /** Models listed besides the backends' own (the GGUF folder), each carrying {@code "backend"}. */
    public void extra(Supplier<List<JsonObject>> extra) {
        this.extra = extra;
    }

    /** Backends whose list or config has {@code model}, in registry order. */
    public List<Backend> backendsServing(String model) {
        List<Backend> serving = new ArrayList<>();
        for (Backend backend : registry.all()) {
            Entry entry = entries.get(backend.name());
            if (backend.configuredModels().contains(model) || (entry != null && entry.ids().contains(model))
                    || extraServes(backend, model)) {
                serving.add(backend);
            }
        }
        return serving;
    }

    private boolean extraServes(Backend backend, String model) {
        for (JsonObject m : extra.get()) {
            if (model.equals(m.getValue("id")) && backend.name().equals(m.getValue("backend"))) {
                return true;
            }
        }
        return false;
    }

    /** Every model id the backends list or are configured with. */
    public Set<String> knownIds() {
        Set<String> ids = new java.util.HashSet<>();
        for (Backend backend : registry.all()) {
            ids.addAll(backend.configuredModels());
            Entry entry = entries.get(backend.name());
            if (entry != null) {
                ids.addAll(entry.ids());
            }
        }
        extra.get().forEach(m -> ids.add((String) m.getValue("id")));
        return ids;
    }

    /** Refetches every list unless that was done moments ago; never fails. */
    public Future<Void> refreshIfStale() {
        long now = System.nanoTime();
        if (now - lastMissRefresh < MISS_REFRESH_NANOS && lastMissRefresh != 0) {
            return Future.succeededFuture();
        }
        lastMissRefresh = now;
        return Future.fromCompletionStage(snapshot(true).subscribeAsCompletionStage(), Vertx.currentContext())
                .<Void>mapEmpty().otherwiseEmpty();
    }

    /** The union of every backend's models, each id once: refetched first when {@code fresh} or when stale. */
    public Uni<Snapshot> snapshot(boolean fresh) {
        List<Uni<Optional<Response>>> fetches = new ArrayList<>();
        List<Backend> backends = List.copyOf(registry.all());
        long now = System.nanoTime();
        for (Backend backend : backends) {
            Entry entry = entries.get(backend.name());
            boolean stale = entry == null || now - entry.fetchedAt() >= ttlNanos;
            if (!fresh && entry != null && stale && ttlNanos > 0) {
                // served from the last list now; the next request sees the new one
                fetch(backend).subscribe().with(r -> { }, f -> { });
                fetches.add(NONE);
            } else {
                fetches.add(fresh || stale ? fetch(backend) : NONE);
            }
        }
        return Uni.join().all(fetches).andFailFast().map(errors -> union(backends, errors));
    }

    private Snapshot union(List<Backend> backends, List<Optional<Response>> errors) {
        List<JsonObject> models = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        Response firstError = null;
        for (int i = 0; i < backends.size(); i++) {
            Entry entry = entries.get(backends.get(i).name());
            if (entry == null) {
                firstError = firstError == null ? errors.get(i).orElse(null) : firstError;
                continue;
            }
            entry.models().stream().filter(m -> seen.add((String) m.getValue("id"))).forEach(models::add);
        }
        for (JsonObject m : extra.get()) {
            if (seen.add((String) m.getValue("id"))) {
                models.add(m);
            } else {
                // the backend lists the file's model itself: keep its entry, add what the file's header says
                models.stream().filter(known -> m.getValue("id").equals(known.getValue("id")) && !known.containsKey("gguf"))
                        .findFirst().ifPresent(known -> models.set(models.indexOf(known), known.copy().put("gguf", m.getValue("gguf"))));
            }
        }
        return new Snapshot(models, models.isEmpty() && firstError != null ? firstError : null);
    }

    /** Fetches one backend's list from its first replica that answers; the item is the error response, if any. */
    private Uni<Optional<Response>> fetch(Backend backend) {
        Uni<Optional<Response>> attempt = null;
        for (Replica replica : backend.replicas()) {
            Uni<Optional<Response>> one = fetch(backend, replica);
            attempt = attempt == null ? one : attempt.flatMap(error -> error.isEmpty() ? NONE : one);
        }
        return attempt;
    }

    private Uni<Optional<Response>> fetch(Backend backend, Replica replica) {
        return clients.of(replica).api().models()
                .map(response -> {
                    byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
                    if (response.getStatus() >= 400) {
                        return Optional.of(OpenAiError.json(response.getStatus(), BackendErrors.normalise(response.getStatus(), body)));
                    }
                    var list = ModelList.parse(body);
                    if (list.isEmpty()) {
                        return Optional.of(OpenAiError.response(502, "backend answered a model list Switchboard cannot read",
                                "backend_bad_response"));
                    }
                    store(backend, list.get().models());
                    return Optional.<Response>empty();
                })
                .onFailure().recoverWithItem(failure -> Optional.of(UpstreamFailure.of(failure, backend.healthTimeoutMs()).toResponse()))
                .invoke(error -> {
                    if (error.isPresent() && ttlNanos == 0) {
                        entries.remove(backend.name()); // no caching: a failing backend's old list is not served
                    }
                });
    }

    private void store(Backend backend, List<JsonObject> models) {
        Set<String> ids = new java.util.HashSet<>();
        for (JsonObject model : models) {
            ids.add((String) model.getValue("id"));
            // llama.cpp lists other names a model answers to
            if (model.getValue("aliases") instanceof JsonArray aliases) {
                aliases.forEach(a -> {
                    if (a instanceof String s) {
                        ids.add(s);
                    }
                });
            }
        }
        entries.put(backend.name(), new Entry(List.copyOf(models), Set.copyOf(ids), System.nanoTime()));
    }
}
