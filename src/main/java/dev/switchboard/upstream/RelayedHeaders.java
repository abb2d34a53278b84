package dev.switchboard.upstream;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * The headers of one backend's REST client calls (the model list): the client's end-to-end headers when there is a
 * client request, the backend's extra headers, and its key in place of the client's {@code Authorization} when one
 * is configured. {@code Content-Type} and {@code Accept} are the client method's own.
 */
final class RelayedHeaders implements ClientHeadersFactory {

    private final Backend backend;

    RelayedHeaders(Backend backend) {
        this.backend = backend;
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
        backend.headers().forEach(headers::putSingle);
        backend.authorization().ifPresent(value -> headers.putSingle("Authorization", value));
        return headers;
    }
}
