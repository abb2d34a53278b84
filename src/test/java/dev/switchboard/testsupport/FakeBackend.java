package dev.switchboard.testsupport;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A real HTTP/1.1 server on 127.0.0.1 that answers like the recorded upstream (llama.cpp or Zen),
 * including the timing of streams, and records what it receives and sends so tests can assert on it.
 * Tests replace routes with {@link #on}; {@link #reset()} restores the defaults and forgets the
 * history (call it between tests: one instance serves every test of the Quarkus app).
 */
public final class FakeBackend implements AutoCloseable {

    /** SO_SNDBUF of the fake's connections: what a reply may have in the kernel beyond what the reader took. */
    public static final int SEND_BUFFER = 64 * 1024;

    private final Vertx vertx;
    private final HttpServer server;
    private final Profile profile;
    private final History history = new History();
    private final Map<String, Function<RecordedRequest, Reply>> overrides = new ConcurrentHashMap<>();
    private final Map<ResponseLog, Exchange> open = new ConcurrentHashMap<>();
    private final IdleConnections idle;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger peakConnections = new AtomicInteger();

    private FakeBackend(Profile profile) {
        this.profile = profile;
        // one event loop: handler and timers run in order; no file cache directory left behind
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        // HTTP/1.1 only, like llama-server: Vert.x would otherwise accept an h2c upgrade
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                        .setHttp2ClearTextEnabled(false).setHandle100ContinueAutomatically(true)
                        // fixed, as autotuning would let the kernel take megabytes of a reply nobody reads yet
                        .setSendBufferSize(SEND_BUFFER))
                .requestHandler(this::receive)
                .connectionHandler(connection -> {
                    int now = connections.incrementAndGet();
                    peakConnections.accumulateAndGet(now, Math::max);
                    connection.closeHandler(closed -> connections.decrementAndGet());
                });
        this.idle = new IdleConnections(vertx, profile.idleTimeout());
        join(() -> server.listen().toCompletionStage());
    }

    /** Started, answering like llama-server (chat, completions, embeddings, models, health). */
    public static FakeBackend llamaCpp() {
        return new FakeBackend(Profile.llamaCpp());
    }

    /** Started, answering like OpenCode Zen under /zen/v1 (models, chat); everything else 404. */
    public static FakeBackend zen() {
        return new FakeBackend(Profile.zen());
    }

    public int port() {
        return server.actualPort();
    }

    /** "http://127.0.0.1:port", without any path. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Answers method+path (path without query) with this reply until {@link #reset()}. */
    public FakeBackend on(String method, String path, Reply reply) {
        return on(method, path, request -> reply);
    }

    /** Answers method+path with whatever the function picks for each request. */
    public FakeBackend on(String method, String path, Function<RecordedRequest, Reply> responder) {
        overrides.put(Profile.key(method, path), responder);
        return this;
    }

    /** One reply per request, in order; the last one repeats (e.g. 503, 503, then 200). */
    public FakeBackend onSequence(String method, String path, Reply... replies) {
        Iterator<Reply> next = List.of(replies).iterator();
        Reply[] current = {replies[0]};
        return on(method, path, request -> {
            synchronized (current) {
                if (next.hasNext()) {
                    current[0] = next.next();
                }
                return current[0];
            }
        });
    }

    /** How long a kept-alive connection may idle before the fake closes it (llama.cpp 5 s; zero: never), until reset. */
    public FakeBackend idleTimeout(Duration timeout) {
        idle.timeout(timeout);
        return this;
    }

    /** Back to the default routes; forgets requests and responses; closes exchanges still held open. */
    public void reset() {
        overrides.clear();
        idle.timeout(profile.idleTimeout());
        open.values().forEach(Exchange::abort);
        open.clear();
        history.clear();
        peakConnections.set(connections.get());
    }

    public List<RecordedRequest> requests() {
        return history.requests();
    }

    /** Only the requests to one route: the gateway's health polls would otherwise mix in. */
    public List<RecordedRequest> requests(String method, String path) {
        return history.requests(method, path);
    }

    /** The most recent request, or null. */
    public RecordedRequest lastRequest() {
        return History.last(history.requests());
    }

    public RecordedRequest lastRequest(String method, String path) {
        return History.last(history.requests(method, path));
    }

    /** Waits for a first request since the last reset and returns the most recent one (AssertionError on timeout). */
    public RecordedRequest awaitRequest(Duration timeout) {
        return history.awaitValue(timeout, this::lastRequest, "request");
    }

    public RecordedRequest awaitRequest(String method, String path, Duration timeout) {
        return history.awaitValue(timeout, () -> lastRequest(method, path), "request " + method + " " + path);
    }

    /** Waits until at least count requests have arrived since the last reset. */
    public List<RecordedRequest> awaitRequests(int count, Duration timeout) {
        return history.awaitValue(timeout, () -> requests().size() >= count ? requests() : null, count + " requests");
    }

    public List<ResponseLog> responses() {
        return history.responses();
    }

    /** The log of the most recent exchange, or null. */
    public ResponseLog lastResponse() {
        return History.last(history.responses());
    }

    public ResponseLog lastResponse(String method, String path) {
        return History.last(history.responses(method, path));
    }

    /** Waits for an exchange on method+path to begin and returns the most recent one. */
    public ResponseLog awaitResponse(String method, String path, Duration timeout) {
        return history.awaitValue(timeout, () -> lastResponse(method, path), "response to " + method + " " + path);
    }

    /**
     * True once the client closed a connection while the fake was still answering or holding it (any
     * exchange since the last reset); false if that did not happen within the timeout.
     */
    public boolean awaitClientGone(Duration timeout) {
        return history.await(timeout, () -> responses().stream().anyMatch(ResponseLog::connectionClosedBeforeEnd));
    }

    /** TCP connections open to the fake right now, whoever opened them (the relay's pool, probes, tests). */
    public int openConnections() {
        return connections.get();
    }

    /** The most connections open at once since the last reset. */
    public int peakConnections() {
        return peakConnections.get();
    }

    /** Exchanges since the last reset that are still answering or holding: requests nobody ended. */
    public List<ResponseLog> inFlight() {
        return responses().stream().filter(ResponseLog::inFlight).toList();
    }

    /**
     * Waits until no exchange is in flight and at most {@code maxOpen} connections are open; false on timeout.
     * Polls: connections come and go without a history event.
     */
    public boolean awaitQuiet(int maxOpen, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!inFlight().isEmpty() || openConnections() > maxOpen) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        join(() -> vertx.close().toCompletionStage());
    }

    private void receive(HttpServerRequest req) {
        idle.busy(req.connection());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
        req.body().onSuccess(body -> answer(req, headers, body));
    }

    private void answer(HttpServerRequest req, MultiMap headers, Buffer body) {
        RecordedRequest recorded = new RecordedRequest(req.method().name(), req.uri(), req.path(), headers,
                body.getBytes(), System.nanoTime());
        Reply reply;
        try {
            reply = route(recorded).apply(recorded);
        } catch (RuntimeException e) { // a broken test responder should be visible, not a hang
            reply = Reply.status(500, "text/plain", "fake backend responder failed: " + e);
        }
        ResponseLog log = new ResponseLog(recorded, reply.toString(), history::changed);
        Exchange exchange = new Exchange(vertx, req, reply, log, () -> idle.idle(req.connection()));
        open.keySet().removeIf(done -> !done.inFlight()); // only open ones matter to reset()
        open.put(log, exchange);
        history.add(recorded, log);
        exchange.start();
    }

    private Function<RecordedRequest, Reply> route(RecordedRequest request) {
        String key = Profile.key(request.method(), request.path());
        Function<RecordedRequest, Reply> responder = overrides.get(key);
        if (responder == null) {
            responder = profile.routes().get(key);
        }
        return responder != null ? responder : profile.fallback();
    }

    private static void join(Supplier<CompletionStage<?>> action) {
        try {
            action.get().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake backend: start/stop failed", e);
        }
    }
}
