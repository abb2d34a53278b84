package dev.switchboard.upstream;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import dev.switchboard.config.GatewayConfig;

/**
 * The client's end-to-end headers for the REST client's backend calls (the model list), and the backend key in place of the client's
 * {@code Authorization} when one is configured. {@code Content-Type} and {@code Accept} are the client method's own.
 */
@ApplicationScoped
public class RelayedHeaders implements ClientHeadersFactory {

    private final Optional<String> authorization;

    public RelayedHeaders(GatewayConfig config) {
        this.authorization = Backend.from(config.backend()).apiKey().map(key -> "Bearer " + key);
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        String connection = incoming.getFirst("Connection");
        incoming.forEach((name, values) -> {
            if (HopByHop.isEndToEnd(name, connection) && !name.equalsIgnoreCase("content-type")
                    && !name.equalsIgnoreCase("accept")) {
                headers.addAll(name, values);
            }
        });
        authorization.ifPresent(value -> headers.putSingle("Authorization", value));
        return headers;
    }
}
