package dev.switchboard.upstream;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.MultiMap;

/**
 * Which headers belong to one connection and not to the exchange (RFC 9110 §7.6.1), so a proxy must not relay
 * them, plus the few that the proxy sets itself.
 */
public final class HopByHop {

    /** Case-insensitive without lower-casing each name: this runs for every header of every request. */
    private static final Set<String> NOT_RELAYED = caseInsensitive(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade",
            // set by the HTTP stack for the hop it writes
            "host", "content-length",
            // Switchboard reads backend bodies (error envelopes, usage): it asks the backend for identity encoding
            "accept-encoding");

    private HopByHop() {
    }

    public static boolean isHopByHop(String name) {
        return NOT_RELAYED.contains(name);
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(Arrays.asList(names));
        return set;
    }

    /** Whether a backend response header reaches the client. CORS headers do not: CORS is the gateway's policy. */
    public static boolean isRelayedResponseHeader(String name) {
        return !isHopByHop(name) && !name.regionMatches(true, 0, "access-control-", 0, 15);
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
