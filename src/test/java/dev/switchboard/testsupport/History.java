package dev.switchboard.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a fake received and how it answered, since the last reset. Written from the event loop, read
 * and awaited from test threads: one monitor guards both lists and is notified on every change
 * (including changes inside a {@link ResponseLog}), so waits wake up at once instead of polling.
 */
final class History {

    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<ResponseLog> responses = new ArrayList<>();

    synchronized void add(RecordedRequest request, ResponseLog response) {
        requests.add(request);
        responses.add(response);
        notifyAll();
    }

    synchronized void clear() {
        requests.clear();
        responses.clear();
    }

    /** For ResponseLog: something about an exchange changed. */
    synchronized void changed() {
        notifyAll();
    }

    synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    List<RecordedRequest> requests(String method, String path) {
        return requests().stream().filter(r -> r.matches(method, path)).toList();
    }

    synchronized List<ResponseLog> responses() {
        return List.copyOf(responses);
    }

    List<ResponseLog> responses(String method, String path) {
        return responses().stream().filter(r -> r.request().matches(method, path)).toList();
    }

    /** Waits until value() is non-null and returns it; AssertionError on timeout, so tests read plainly. */
    <T> T awaitValue(Duration timeout, Supplier<T> value, String what) {
        if (!await(timeout, () -> value.get() != null)) {
            throw new AssertionError("fake backend: no " + what + " within " + timeout + "; received " + requests());
        }
        return value.get();
    }

    synchronized boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static <T> T last(List<T> list) {
        return list.isEmpty() ? null : list.get(list.size() - 1);
    }
}
