package dev.switchboard.stream;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.switchboard.config.GatewayConfig;

/**
 * The observers one answer goes through, chosen per request and per backend: usage accounting always; reasoning
 * split or strip when the backend's {@code reasoning} setting asks for it; the reasoning tap for the reasoning log on
 * chat answers. Order matters: the splitter rewrites first, so the taps see what the client receives.
 */
@ApplicationScoped
public class StreamObservers {

    /** What a request is, as far as its observers care. */
    public enum Endpoint { CHAT, COMPLETIONS, EMBEDDINGS }

    private final int reasoningLogMaxChars;
    private final boolean accounting;

    public StreamObservers(GatewayConfig config) {
        this.reasoningLogMaxChars = config.reasoningLogMaxChars();
        this.accounting = config.accounting();
    }

    /** Whether answers are read for usage ({@code switchboard.accounting}); streams then ask the backend for it. */
    public boolean accounting() {
        return accounting;
    }

    /**
     * @param dropUsageEvent Switchboard asked the backend for usage on the client's behalf: the extra usage event is
     *                       read, then dropped
     * @param cachedTokens   add cached tokens from llama.cpp's timings ({@code switchboard.backends.X.cached-tokens})
     */
    public List<StreamObserver> forAnswer(Endpoint endpoint, ReasoningMode reasoning, boolean dropUsageEvent,
            boolean cachedTokens) {
        List<StreamObserver> observers = new ArrayList<>(3);
        if (endpoint == Endpoint.CHAT && reasoning != ReasoningMode.PASSTHROUGH) {
            observers.add(new ReasoningSplitter(reasoning));
        }
        if (!accounting) {
            return observers;
        }
        observers.add(new UsageTap(dropUsageEvent, cachedTokens));
        if (endpoint == Endpoint.CHAT) {
            observers.add(new ReasoningTap(reasoningLogMaxChars));
        }
        return observers;
    }
}
