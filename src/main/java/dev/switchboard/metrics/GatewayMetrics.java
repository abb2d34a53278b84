package dev.switchboard.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.stream.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Switchboard's own meters, scraped at {@code /q/metrics}. Every tag value is bounded: backends and endpoints come from
 * config and code, statuses are HTTP codes, and a model outside the known list (see {@link #knownModels}) counts as
 * {@code other}. Meters are looked up once per tag combination and cached: registering per request showed in the
 * profile of similar gateways.
 */
@ApplicationScoped
public class GatewayMetrics {

    static final String OTHER = "other";
    private static final Duration[] LATENCY_SLOS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)};

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstTokens = new ConcurrentHashMap<>();
    private final Map<String, Counter> tokens = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> speeds = new ConcurrentHashMap<>();
    private volatile Supplier<Set<String>> knownModels = Set::of;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        register(Gauge.builder("switchboard.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Requests being relayed now"), "switchboard.requests.in.flight");
        register(Gauge.builder("switchboard.streams.open", openStreams, AtomicInteger::get)
                .description("Event streams being relayed now"), "switchboard.streams.open");
    }

    /**
     * Registers a gauge that reads this instance's state. Held strongly: Micrometer keeps a gauge's state object only
     * weakly, and a backend's readiness supplier is referenced nowhere else (its gauge read NaN after the first GC).
     * A gauge of the same id left by an earlier start in this JVM (dev-mode reload, tests; the global registry
     * outlives the app) is removed first, or registering would return it, still reading the old state.
     */
    private void register(Gauge.Builder<?> gauge, String name, String... tags) {
        registry.find(name).tags(tags).gauges().forEach(registry::remove);
        gauge.strongReference(true).register(registry);
    }

    /** The model ids that may appear as tag values (the backends' lists, routes and config). */
    public void knownModels(Supplier<Set<String>> models) {
        this.knownModels = models;
    }

    /** A gauge per backend: 1 ready, 0.5 loading, 0 down. */
    public void backendReadiness(String backend, Supplier<Number> value) {
        register(Gauge.builder("switchboard.backend.ready", value, v -> v.get().doubleValue())
                .tag("backend", backend).description("Backend readiness: 1 up, 0.5 loading, 0 down"),
                "switchboard.backend.ready", "backend", backend);
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    public void streamOpened() {
        openStreams.incrementAndGet();
    }

    public void streamClosed() {
        openStreams.decrementAndGet();
    }

    /** One request is over. {@code firstByteNanos} 0: no answer body came from a backend. */
    public void finished(String backend, String endpoint, int status, boolean stream, long durationNanos,
            long firstByteNanos) {
        inFlight.decrementAndGet();
        String s = Boolean.toString(stream);
        requests.computeIfAbsent(backend + '|' + endpoint + '|' + status + '|' + s, k -> Counter
                .builder("switchboard.requests").description("Requests by backend, endpoint, status and stream")
                .tags("backend", backend, "endpoint", endpoint, "status", Integer.toString(status), "stream", s)
                .register(registry)).increment();
        durations.computeIfAbsent(backend + '|' + endpoint + '|' + s, k -> Timer
                .builder("switchboard.request.duration").description("Time from request to the answer's end")
                .tags("backend", backend, "endpoint", endpoint, "stream", s)
                .serviceLevelObjectives(LATENCY_SLOS).register(registry))
                .record(durationNanos, TimeUnit.NANOSECONDS);
        if (firstByteNanos > 0 && status < 300) {
            firstTokens.computeIfAbsent(backend + '|' + endpoint + '|' + s, k -> Timer
                    .builder("switchboard.time.to.first.token")
                    .description("Time from request to the first byte of the answer (the first event of a stream)")
                    .tags("backend", backend, "endpoint", endpoint, "stream", s)
                    .serviceLevelObjectives(LATENCY_SLOS).register(registry))
                    .record(firstByteNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The model as a tag value: itself when known, else {@code other}. */
    public String boundedModel(String model) {
        return model != null && knownModels.get().contains(model) ? model : OTHER;
    }

    /** Tokens the backend reported for one answer; {@code m} already bounded. */
    public void tokens(String backend, String m, Usage usage) {
        count(backend, m, "prompt", usage.prompt());
        count(backend, m, "completion", usage.completion());
        count(backend, m, "cached", usage.cached());
        count(backend, m, "reasoning", usage.reasoning());
        if (usage.tokensPerSecond() > 0) {
            speeds.computeIfAbsent(backend + '|' + m, k -> DistributionSummary
                    .builder("switchboard.generation.speed").baseUnit("tokens_per_second")
                    .description("Generation speed the backend reported (llama.cpp's timings.predicted_per_second)")
                    .tags("backend", backend, "model", m).register(registry))
                    .record(usage.tokensPerSecond());
        }
    }

    private void count(String backend, String model, String kind, long n) {
        if (n > 0) {
            tokens.computeIfAbsent(backend + '|' + model + '|' + kind, k -> Counter.builder("switchboard.tokens")
                    .description("Tokens by backend, model and kind (prompt, completion, cached, reasoning)")
                    .tags("backend", backend, "model", model, "kind", kind).register(registry)).increment(n);
        }
    }
}
