package dev.switchboard.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the fake did while answering one request, with {@link System#nanoTime()} stamps, so that tests
 * can compare them with the moments their own client saw things. A stamp is -1 until it happened.
 *
 * <p>"Client gone" means the peer (the gateway) closed the connection while the fake was still
 * answering or holding; closes the fake makes itself (after a {@code Connection: close} answer, or a
 * scripted {@code closeAfter}) are not counted.
 */
public final class ResponseLog {

    private final RecordedRequest request;
    private final String reply;
    private final Runnable changed;
    private final List<Long> eventNanos = new CopyOnWriteArrayList<>();
    private volatile long headNanos = -1;
    private volatile long completedNanos = -1;
    private volatile long clientGoneNanos = -1;
    private volatile long fakeClosedNanos = -1;
    private volatile long bytesWritten;
    private volatile long bytesWrittenWhenFirstBlocked = -1;
    private volatile int timesBlocked;

    ResponseLog(RecordedRequest request, String reply, Runnable changed) {
        this.request = request;
        this.reply = reply;
        this.changed = changed;
    }

    public RecordedRequest request() {
        return request;
    }

    /** Description of the scripted reply, for failure messages. */
    public String reply() {
        return reply;
    }

    /** When the status line and headers were handed to the socket (-1 if never: hold). */
    public long headWrittenNanos() {
        return headNanos;
    }

    /** When each SSE event (or the one non-SSE body) was handed to the socket, in order. */
    public List<Long> eventWriteNanos() {
        return List.copyOf(eventNanos);
    }

    public int eventsWritten() {
        return eventNanos.size();
    }

    /** Body bytes handed to the socket so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /**
     * How often the fake found its connection's write queue full and waited for it to drain before writing on, as
     * a server with backpressure does (only replies without an event delay write fast enough to fill it).
     */
    public int timesBlocked() {
        return timesBlocked;
    }

    /** {@link #bytesWritten()} the first time the write queue was full; -1 if it never was. */
    public long bytesWrittenWhenFirstBlocked() {
        return bytesWrittenWhenFirstBlocked;
    }

    /** True once the fake ended the response normally (terminating chunk or full Content-Length body). */
    public boolean completed() {
        return completedNanos >= 0;
    }

    public long completedNanos() {
        return completedNanos;
    }

    /** True if the client closed the connection before the response was complete. */
    public boolean connectionClosedBeforeEnd() {
        return clientGoneNanos >= 0;
    }

    public long clientGoneNanos() {
        return clientGoneNanos;
    }

    /** True if the fake itself closed the connection (scripted abort or {@code Connection: close}). */
    public boolean closedByFake() {
        return fakeClosedNanos >= 0;
    }

    public long fakeClosedNanos() {
        return fakeClosedNanos;
    }

    /** Waits until the client has gone away mid-response; false on timeout. */
    public boolean awaitClientGone(Duration timeout) {
        return await(timeout, this::connectionClosedBeforeEnd);
    }

    /** Waits until the response completed normally; false on timeout. */
    public boolean awaitCompleted(Duration timeout) {
        return await(timeout, this::completed);
    }

    private boolean await(Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    void markHead(long nanos) {
        if (headNanos < 0) {
            headNanos = nanos;
        }
    }

    void markEvent(long nanos) {
        eventNanos.add(nanos);
    }

    void markWritten(int bytes) {
        bytesWritten += bytes; // one event loop writes
    }

    void markBlocked() {
        if (bytesWrittenWhenFirstBlocked < 0) {
            bytesWrittenWhenFirstBlocked = bytesWritten;
        }
        timesBlocked++;
        signal();
    }

    void markCompleted(long nanos) {
        completedNanos = nanos;
        signal();
    }

    void markClientGone(long nanos) {
        clientGoneNanos = nanos;
        signal();
    }

    void markFakeClosed(long nanos) {
        fakeClosedNanos = nanos;
        signal();
    }

    /** Still answering or holding: neither completed nor closed by either side. */
    public boolean inFlight() {
        return completedNanos < 0 && clientGoneNanos < 0 && fakeClosedNanos < 0;
    }

    private void signal() {
        synchronized (this) {
            notifyAll();
        }
        changed.run();
    }

    @Override
    public String toString() {
        return request + " -> " + reply + ": head=" + headNanos + " events=" + eventNanos.size()
                + " completed=" + completedNanos + " clientGone=" + clientGoneNanos + " fakeClosed=" + fakeClosedNanos;
    }
}
