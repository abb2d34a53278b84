package dev.switchboard.upstream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Skips a replica that keeps failing: after {@code threshold} failures in a row it is open (skipped at once) for
 * {@code openNanos}; then one request may try it (half-open): its success closes it, its failure opens it again.
 *
 * <p>Hand-written rather than SmallRye Fault Tolerance: the relay is a chain of Vert.x futures, not a bean method,
 * and the breaker must be per replica (one URL of a backend), which the annotations' per-method state is not.
 */
public final class CircuitBreaker {

    private final int threshold;
    private final long openNanos;
    private final AtomicInteger failures = new AtomicInteger();
    /** When the circuit opened (System.nanoTime), or 0 when closed. */
    private final AtomicLong openedAt = new AtomicLong();

    public CircuitBreaker(int threshold, long openNanos) {
        this.threshold = Math.max(1, threshold);
        this.openNanos = openNanos;
    }

    /** Closed, or open long enough that a trial may go (half-open). Has no side effect: see {@link #claimTrial}. */
    public boolean allows(long now) {
        return !open(now);
    }

    /**
     * Called for the request about to be sent: true when the circuit is closed, or half-open and this request takes
     * the one trial (the circuit then reads open again for another period, so no other request follows it to a
     * replica that may hang; the trial's success closes it, its failure keeps it open).
     */
    public boolean claimTrial(long now) {
        long opened = openedAt.get();
        if (opened == 0) {
            return true;
        }
        return now - opened >= openNanos && openedAt.compareAndSet(opened, now == 0 ? 1 : now);
    }

    public void success() {
        failures.set(0);
        openedAt.set(0);
    }

    public void failure(long now) {
        if (failures.incrementAndGet() >= threshold) {
            openedAt.set(now == 0 ? 1 : now); // a failed trial starts a new open period too
        }
    }

    public boolean open(long now) {
        long opened = openedAt.get();
        return opened != 0 && now - opened < openNanos;
    }

    /** Nanoseconds until the circuit lets a trial through; 0 when it does now. */
    public long remaining(long now) {
        long opened = openedAt.get();
        return opened == 0 ? 0 : Math.max(0, openNanos - (now - opened));
    }
}
