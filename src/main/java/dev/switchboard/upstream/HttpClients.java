package dev.switchboard.upstream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * The pooled Vert.x clients of the relay: one per backend per event loop. A pooled connection owned by another loop
 * would hop every callback across threads (wake-ups showed in the benchmark's profile); Vert.x event loops are fixed
 * threads, so the thread is the key.
 */
final class HttpClients {

    /** llama.cpp closes idle keep-alive connections after 5 s; drop ours first so a reused one is never stale. */
    private static final int KEEP_ALIVE_SECONDS = 4;

    private final Vertx vertx;
    private final Map<Backend, Map<Thread, HttpClient>> clients = new ConcurrentHashMap<>();

    HttpClients(Vertx vertx) {
        this.vertx = vertx;
    }

    HttpClient of(Backend backend) {
        Map<Thread, HttpClient> perLoop = clients.computeIfAbsent(backend, b -> new ConcurrentHashMap<>());
        HttpClient client = perLoop.get(Thread.currentThread());
        return client != null ? client : perLoop.computeIfAbsent(Thread.currentThread(), t -> create(backend));
    }

    private HttpClient create(Backend backend) {
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) backend.connectTimeoutMs())
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setTryUseCompression(false)
                .setDecompressionSupported(false)
                .setForceSni(true);
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(backend.maxConnections()));
    }
}
