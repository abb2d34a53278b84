package dev.switchboard.routing;

import dev.switchboard.upstream.Backend;

/**
 * One step of a route: the backend to try and the model id to send it ({@code null}: the body goes as the client
 * sent it).
 */
public record Hop(Backend backend, String model) {

    @Override
    public String toString() {
        return model == null ? backend.name() : backend.name() + "/" + model;
    }
}
