package dev.switchboard.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.stream.Usage;
import io.vertx.core.json.JsonObject;

/** Token totals since start, by backend and model, for {@code GET /v1/usage}. Models are bounded as in the metrics. */
@ApplicationScoped
public class UsageTotals {

    private static final String[] KINDS = {"prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens",
            "reasoning_tokens"};

    private final Instant since = Instant.now();
    private final Map<String, Map<String, LongAdder[]>> totals = new ConcurrentHashMap<>();

    /** One answer's usage; {@code model} already bounded by the caller. */
    public void add(String backend, String model, Usage usage) {
        LongAdder[] t = totals.computeIfAbsent(backend, b -> new ConcurrentHashMap<>())
                .computeIfAbsent(model, m -> newCounters());
        t[0].increment();
        add(t[1], usage.prompt());
        add(t[2], usage.completion());
        add(t[3], usage.total());
        add(t[4], usage.cached());
        add(t[5], usage.reasoning());
    }

    private static LongAdder[] newCounters() {
        LongAdder[] t = new LongAdder[KINDS.length + 1];
        for (int i = 0; i < t.length; i++) {
            t[i] = new LongAdder();
        }
        return t;
    }

    private static void add(LongAdder adder, long n) {
        if (n > 0) {
            adder.add(n);
        }
    }

    public JsonObject toJson() {
        JsonObject backends = new JsonObject();
        new TreeMap<>(totals).forEach((backend, models) -> {
            JsonObject byModel = new JsonObject();
            new TreeMap<>(models).forEach((model, t) -> {
                JsonObject m = new JsonObject().put("requests", t[0].sum());
                for (int i = 0; i < KINDS.length; i++) {
                    m.put(KINDS[i], t[i + 1].sum());
                }
                byModel.put(model, m);
            });
            backends.put(backend, new JsonObject().put("models", byModel));
        });
        return new JsonObject().put("object", "usage").put("since", since.toString()).put("backends", backends);
    }
}
