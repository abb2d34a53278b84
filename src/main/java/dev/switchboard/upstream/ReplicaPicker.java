package dev.switchboard.upstream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Picks the replica of a backend that takes a request: among those not down, loading or cut off by their circuit,
 * the one with the fewest requests in flight (ties taken in turn). When every such replica is full (llama.cpp's
 * slots all busy), the request waits in line for a bounded time; a finished request hands its slot to the first in
 * line.
 */
final class ReplicaPicker {

    /** Why no replica was given. */
    static final class NoReplica extends RuntimeException {
        final boolean full;

        NoReplica(String message, boolean full) {
            super(message, null, false, false);
            this.full = full;
        }
    }

    private record Waiter(Promise<Replica> promise, Context context) {
    }

    private final Vertx vertx;
    private final Map<Backend, Line> lines = new ConcurrentHashMap<>();

    private static final class Line {
        final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
        final AtomicInteger turn = new AtomicInteger();
    }

    ReplicaPicker(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * A replica with a slot taken for this request; fails with {@link NoReplica}. Release it with {@link #release}.
     *
     * @param last the last backend of the chain: with nothing left to fall back on, a replica believed down is tried
     *             anyway, so the client gets the backend's real answer or failure rather than a guess
     */
    Future<Replica> acquire(Backend backend, boolean last) {
        Line line = lines.computeIfAbsent(backend, b -> new Line());
        long now = System.nanoTime();
        Replica picked = tryPick(backend, line, now);
        if (picked == null && last && !anyAvailable(backend, now)) {
            picked = tryPick(backend, line, Long.MIN_VALUE);
        }
        if (picked != null) {
            return Future.succeededFuture(picked);
        }
        if (!anyAvailable(backend, now)) {
            return Future.failedFuture(new NoReplica(describeDown(backend), false));
        }
        Promise<Replica> promise = Promise.promise();
        Waiter waiter = new Waiter(promise, vertx.getOrCreateContext());
        line.waiters.add(waiter);
        long timer = vertx.setTimer(Math.max(1, backend.queueTimeoutMs()), id -> {
            if (line.waiters.remove(waiter)) {
                promise.tryFail(new NoReplica("every slot stayed busy for " + backend.queueTimeoutMs() + " ms", true));
            }
        });
        // a slot may have been freed between the pick and joining the line
        wake(backend, line);
        return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    void release(Backend backend, Replica replica) {
        replica.release();
        Line line = lines.get(backend);
        if (line != null && !line.waiters.isEmpty()) {
            wake(backend, line);
        }
    }

    private void wake(Backend backend, Line line) {
        Waiter waiter;
        while ((waiter = line.waiters.peek()) != null) {
            Replica replica = tryPick(backend, line, System.nanoTime());
            if (replica == null) {
                return;
            }
            if (line.waiters.remove(waiter)) {
                Waiter w = waiter;
                w.context().runOnContext(v -> {
                    if (!w.promise().tryComplete(replica)) {
                        release(backend, replica);
                    }
                });
            } else {
                release(backend, replica);
                return;
            }
        }
    }

    /** {@code now == Long.MIN_VALUE}: ignore readiness and circuits. */
    private static Replica tryPick(Backend backend, Line line, long now) {
        List<Replica> replicas = backend.replicas();
        int n = replicas.size();
        if (n == 1) {
            Replica only = replicas.get(0);
            return (now == Long.MIN_VALUE || only.available(now)) && only.tryAcquire() ? claimed(only, now) : null;
        }
        int start = Math.floorMod(line.turn.getAndIncrement(), n);
        // fewest in flight first; a replica that filled up meanwhile is passed over
        for (int attempt = 0; attempt < n; attempt++) {
            Replica best = null;
            for (int k = 0; k < n; k++) {
                Replica r = replicas.get((start + k) % n);
                if ((now == Long.MIN_VALUE || r.available(now)) && (r.slots() == 0 || r.inFlight() < r.slots())
                        && (best == null || r.inFlight() < best.inFlight())) {
                    best = r;
                }
            }
            if (best == null) {
                return null;
            }
            if (best.tryAcquire() && claimed(best, now) != null) {
                return best;
            }
        }
        return null;
    }

    /**
     * The replica, unless its circuit is half-open and another request took the one trial first (then its slot is
     * given back and null returned; its circuit now reads open, so the next pick passes it over).
     */
    private static Replica claimed(Replica replica, long now) {
        if (now == Long.MIN_VALUE || replica.circuit().claimTrial(now)) {
            return replica;
        }
        replica.release();
        return null;
    }

    private static boolean anyAvailable(Backend backend, long now) {
        return backend.replicas().stream().anyMatch(r -> r.available(now));
    }

    private static String describeDown(Backend backend) {
        Replica first = backend.replicas().get(0);
        long now = System.nanoTime();
        return first.circuit().open(now) ? "circuit open after repeated failures"
                : "readiness " + first.state().name().toLowerCase() + ": " + first.reason();
    }
}
