package dev.switchboard.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Several {@link FakeBackend}s by name, for a gateway configured with named backends ({@code local}, {@code local2},
 * {@code zen}...). One set serves every test of a Quarkus app: {@link #reset()} between tests resets each fake and puts
 * back what it answers by default here (llama.cpp's {@code /props}, a health endpoint for the cloud fake).
 */
public final class FakeBackends implements AutoCloseable {

    /** Where a cloud fake answers a readiness probe (Zen itself has none; the gateway is pointed here). */
    public static final String ZEN_HEALTH = "/zen/health";

    private final Map<String, FakeBackend> fakes = new LinkedHashMap<>();
    private final Map<String, Consumer<FakeBackend>> defaults = new LinkedHashMap<>();

    /** Adds a started llama-server fake whose {@code /props} is the recorded one ({@code total_slots} 2). */
    public FakeBackends llamaCpp(String name) {
        return add(name, FakeBackend.llamaCpp(), fake -> fake.on("GET", "/props", Reply.recording("props")));
    }

    /** Adds a started llama-server fake whose {@code /props} reports {@code totalSlots}. */
    public FakeBackends llamaCpp(String name, int totalSlots) {
        Reply props = props(totalSlots);
        return add(name, FakeBackend.llamaCpp(), fake -> fake.on("GET", "/props", props));
    }

    /** Adds a started cloud fake (OpenCode Zen under /zen/v1) that also answers 200 at {@link #ZEN_HEALTH}. */
    public FakeBackends zen(String name) {
        Reply ok = Reply.status(200, "application/json", "{\"status\":\"ok\"}");
        return add(name, FakeBackend.zen(), fake -> fake.on("GET", ZEN_HEALTH, ok));
    }

    private FakeBackends add(String name, FakeBackend fake, Consumer<FakeBackend> byDefault) {
        fakes.put(name, fake);
        defaults.put(name, byDefault);
        byDefault.accept(fake);
        return this;
    }

    /** The recorded {@code /props} with another {@code total_slots}. */
    public static Reply props(int totalSlots) {
        Recording recorded = Recording.load("props");
        String body = recorded.bodyString().replace("\"total_slots\":2,", "\"total_slots\":" + totalSlots + ",");
        if (body.equals(recorded.bodyString()) && totalSlots != 2) {
            throw new IllegalStateException("props recording has no \"total_slots\":2");
        }
        return Reply.of(Recording.of(recorded.status(), recorded.reason(), recorded.headers(),
                body.getBytes(StandardCharsets.UTF_8)), "props(total_slots=" + totalSlots + ")");
    }

    /** The fake of that name; fails for an unknown name. */
    public FakeBackend get(String name) {
        FakeBackend fake = fakes.get(name);
        if (fake == null) {
            throw new IllegalArgumentException("no fake backend '" + name + "'; there are " + fakes.keySet());
        }
        return fake;
    }

    public Map<String, FakeBackend> all() {
        return fakes;
    }

    /** Resets every fake ({@link FakeBackend#reset()}) and restores its defaults. */
    public void reset() {
        fakes.forEach((name, fake) -> {
            fake.reset();
            defaults.get(name).accept(fake);
        });
    }

    /** Every request any fake received on method+path since the last reset, by fake name. */
    public Map<String, List<RecordedRequest>> requests(String method, String path) {
        Map<String, List<RecordedRequest>> all = new LinkedHashMap<>();
        fakes.forEach((name, fake) -> all.put(name, fake.requests(method, path)));
        return all;
    }

    /** A base URL nothing listens at (a port that was free a moment ago): connections to it are refused. */
    public static String refusedUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        fakes.values().forEach(FakeBackend::close);
    }
}
