package dev.switchboard.upstream;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One URL of a backend, with what routing needs to know about it right now: requests in flight, llama.cpp's slot
 * count, its circuit and its last readiness. Shared by every event loop, so the counters are atomic or volatile.
 */
public final class Replica {

    /** Readiness as last probed. */
    public enum State { UP, LOADING, DOWN, UNKNOWN }

    private final URI baseUri;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String pathPrefix;
    private final Optional<URI> healthUri;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final CircuitBreaker circuit;
    private volatile int slots;
    private volatile State state = State.UNKNOWN;
    private volatile String reason = "not probed yet";

    Replica(URI baseUri, Optional<URI> healthUri, int slots, CircuitBreaker circuit) {
        this.baseUri = baseUri;
        this.ssl = "https".equalsIgnoreCase(baseUri.getScheme());
        this.host = baseUri.getHost();
        this.port = baseUri.getPort() > 0 ? baseUri.getPort() : ssl ? 443 : 80;
        this.pathPrefix = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        this.healthUri = healthUri;
        this.slots = slots;
        this.circuit = circuit;
    }

    public URI baseUri() {
        return baseUri;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean ssl() {
        return ssl;
    }

    /** The request path of an OpenAI endpoint on this replica: {@code "/chat/completions"} → {@code "/v1/chat/completions"}. */
    public String path(String endpoint) {
        return pathPrefix + endpoint;
    }

    /** Empty when its readiness is not probed. */
    public Optional<URI> healthUri() {
        return healthUri;
    }

    public CircuitBreaker circuit() {
        return circuit;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Takes a slot when one is free (or slots are unlimited); false when the replica is full. */
    boolean tryAcquire() {
        int limit = slots;
        while (true) {
            int now = inFlight.get();
            if (limit > 0 && now >= limit) {
                return false;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        inFlight.decrementAndGet();
    }

    /** Requests it takes at once; 0: no limit known. */
    public int slots() {
        return slots;
    }

    public void slots(int slots) {
        this.slots = slots;
    }

    public State state() {
        return state;
    }

    public String reason() {
        return reason;
    }

    public void state(State state, String reason) {
        this.state = state;
        this.reason = reason;
    }

    /** Worth sending a request to: not known to be down or loading, and its circuit lets requests through. */
    boolean available(long now) {
        return state != State.DOWN && state != State.LOADING && circuit.allows(now);
    }
}
