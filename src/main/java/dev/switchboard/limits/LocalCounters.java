package dev.switchboard.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Future;

/**
 * Counts in this replica's memory: one window per client, started by its first request and lasting
 * {@code windowMs}. Ended windows are dropped by {@link #sweep}, so the map holds only clients seen within a window.
 */
final class LocalCounters implements Counters {

    private static final class Counts {
        long start;
        long requests;
        long tokens;

        Counts(long start) {
            this.start = start;
        }
    }

    private final Map<String, Counts> clients = new ConcurrentHashMap<>();
    private final long windowMs;
    private final long windowNanos;

    LocalCounters(long windowMs) {
        this.windowMs = windowMs;
        this.windowNanos = windowMs * 1_000_000L;
    }

    @Override
    public Future<Window> admit(String client, long requestLimit, long tokenLimit) {
        return Future.succeededFuture(admitNow(client, requestLimit, tokenLimit));
    }

    Window admitNow(String client, long requestLimit, long tokenLimit) {
        long now = System.nanoTime();
        Counts counts = clients.computeIfAbsent(client, c -> new Counts(now));
        synchronized (counts) {
            roll(counts, now);
            boolean admitted = (requestLimit <= 0 || counts.requests < requestLimit)
                    && (tokenLimit <= 0 || counts.tokens < tokenLimit);
            if (admitted) {
                counts.requests++;
            }
            return new Window(admitted, counts.requests, counts.tokens, resetMs(counts, now));
        }
    }

    @Override
    public void record(String client, long tokens) {
        if (tokens <= 0) {
            return;
        }
        long now = System.nanoTime();
        Counts counts = clients.computeIfAbsent(client, c -> new Counts(now));
        synchronized (counts) {
            roll(counts, now);
            counts.tokens += tokens;
        }
    }

    /** Drops the windows that ended. */
    void sweep() {
        long now = System.nanoTime();
        clients.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return now - e.getValue().start >= windowNanos;
            }
        });
    }

    int size() {
        return clients.size();
    }

    private void roll(Counts counts, long now) {
        if (now - counts.start >= windowNanos) {
            counts.start = now;
            counts.requests = 0;
            counts.tokens = 0;
        }
    }

    private long resetMs(Counts counts, long now) {
        return Math.max(0, windowMs - (now - counts.start) / 1_000_000L);
    }
}
