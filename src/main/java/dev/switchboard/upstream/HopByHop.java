package dev.switchboard.upstream;

import io.vertx.core.MultiMap;

/**
 * Which headers belong to one connection and not to the exchange (RFC 9110 §7.6.1), so a proxy must not relay
 * them, plus the few that the proxy sets itself for its own hop ({@code Host}, {@code Content-Length},
 * {@code Accept-Encoding}).
 */
public final class HopByHop {

    private HopByHop() {
    }

    /** Case-insensitive, without lower-casing or hashing: this runs for every header of every request. */
    public static boolean isHopByHop(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("te");
            case 4 -> name.equalsIgnoreCase("host");
            case 7 -> name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("trailer");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 14 -> name.equalsIgnoreCase("content-length");
            // Switchboard reads backend bodies (error envelopes): it asks the backend for identity encoding
            case 15 -> name.equalsIgnoreCase("accept-encoding");
            case 16 -> name.equalsIgnoreCase("proxy-connection");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            case 18 -> name.equalsIgnoreCase("proxy-authenticate");
            case 19 -> name.equalsIgnoreCase("proxy-authorization");
            default -> false;
        };
    }

    /**
     * Whether a backend response header reaches the client. CORS headers do not (CORS is the gateway's policy), nor
     * the backend's {@code X-Request-Id} (the gateway's id is already on the response).
     */
    public static boolean isRelayedResponseHeader(String name) {
        return !isHopByHop(name) && !name.regionMatches(true, 0, "access-control-", 0, 15)
                && !name.equalsIgnoreCase("x-request-id");
    }

    /** Copies the end-to-end headers of {@code from} into {@code to}, honouring the names listed in {@code Connection}. */
    public static void copyEndToEnd(MultiMap from, MultiMap to) {
        String connection = from.get("connection");
        for (var header : from) {
            String name = header.getKey();
            if (isEndToEnd(name, connection)) {
                to.add(name, header.getValue());
            }
        }
    }

    /** Neither hop-by-hop by name nor listed in the request's {@code Connection} header. */
    public static boolean isEndToEnd(String name, String connection) {
        return !isHopByHop(name) && !listedIn(connection, name);
    }

    private static boolean listedIn(String connection, String name) {
        if (connection == null) {
            return false;
        }
        for (String token : connection.split(",")) {
            if (token.trim().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
