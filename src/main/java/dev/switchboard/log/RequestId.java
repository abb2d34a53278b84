package dev.switchboard.log;

import java.util.concurrent.ThreadLocalRandom;

import io.vertx.core.http.HttpServerRequest;

/**
 * The id that ties one request's lines together across client, gateway and backend: the client's
 * {@code X-Request-Id} when it sent a sane one, otherwise a new one. It is returned on the response, sent to the
 * backend and written in the access line.
 */
public final class RequestId {

    public static final String HEADER = "X-Request-Id";
    private static final int MAX_LENGTH = 128;

    private RequestId() {
    }

    static String of(HttpServerRequest request) {
        String sent = request.getHeader(HEADER);
        return sent != null && sane(sent) ? sent : generate();
    }

    /** Printable ASCII without spaces, so an id can never break a log line or a header. */
    private static boolean sane(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** 64 random bits in hex: unique enough to find one request's lines, and cheap (no SecureRandom per request). */
    private static String generate() {
        String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
        return "0".repeat(16 - hex.length()) + hex;
    }
}
