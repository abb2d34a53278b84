package dev.switchboard.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.switchboard.routing.Hop;
import dev.switchboard.stream.StreamObserver;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * One request on its way through the relay: what to send and where it may go, and, once it is over, what happened
 * (the backend that answered, the hops skipped and why, when the first byte came back) for logs and metrics.
 */
public final class RelayCall {

    private static final String KEY = "switchboard.call";

    final String path;
    final HttpServerRequest in;
    final Buffer body;
    final RequestPeek peek;
    final List<Hop> hops;
    final Function<Backend, List<StreamObserver>> observers;
    final long startNanos = System.nanoTime();

    private final List<String> skipped = new ArrayList<>(0);
    List<StreamObserver> observersInUse = List.of();
    Backend backend;
    /** Frees the replica slot the answer holds; run once, by {@link #releaseSlot}. */
    Runnable slot;
    long firstByteNanos;
    int status;

    /**
     * @param observers the observers of the answer, by the backend that gives it (reasoning handling is per backend);
     *                  an empty list keeps the plain byte pipe
     */
    public RelayCall(String path, HttpServerRequest in, Buffer body, RequestPeek peek, List<Hop> hops,
            Function<Backend, List<StreamObserver>> observers) {
        this.path = path;
        this.in = in;
        this.body = body;
        this.peek = peek;
        this.hops = hops;
        this.observers = observers;
    }

    /** Frees the answer's replica slot, once, whichever of the answer's end or its failure comes first. */
    void releaseSlot() {
        Runnable release = slot;
        slot = null;
        if (release != null) {
            release.run();
        }
    }

    /** The body for a hop that names its own model: the client's, with only the model's value changed. */
    Buffer bodyFor(Hop hop) {
        return peek.withModel(body, hop.model());
    }

    void skipped(Hop hop, String why) {
        skipped.add(hop + ": " + why);
    }

    /** The backend that answered (or the last one tried); null when none was tried. */
    public Backend backend() {
        return backend;
    }

    /** Ties this call to its request, for the logs, metrics and limits that read it when the request ends. */
    public void attachTo(RoutingContext rc) {
        rc.put(KEY, this);
    }

    /** The call a request became; null when Switchboard answered it itself (bad body, unknown model...). */
    public static RelayCall of(RoutingContext rc) {
        return rc.get(KEY);
    }

    /** The observers the answer went through (empty for errors and plain relays). */
    public List<StreamObserver> observersInUse() {
        return observersInUse;
    }

    /** The model the client asked for. */
    public String model() {
        return peek.model();
    }

    public boolean stream() {
        return peek.stream();
    }

    /** Each hop passed over before the answering one, with the reason. */
    public List<String> skipped() {
        return skipped;
    }

    /** Status relayed to the client; 0 when Switchboard answered itself. */
    public int status() {
        return status;
    }

    /** Nanoseconds from the request's arrival to the first byte of the answer's body; 0 if none came. */
    public long timeToFirstByte() {
        return firstByteNanos == 0 ? 0 : firstByteNanos - startNanos;
    }
}
