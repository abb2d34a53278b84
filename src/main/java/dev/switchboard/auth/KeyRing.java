package dev.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;

/**
 * The configured gateway keys, held only as SHA-256 digests, and the check of an {@code Authorization} header
 * against them. The check takes the same time whichever key matches, or none: the presented key is hashed, and its
 * digest compared with every key's digest by {@link MessageDigest#isEqual} without stopping at a match, so neither
 * the length nor the bytes of a key can be learnt from response times.
 */
public final class KeyRing {

    private static final String BEARER = "Bearer ";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** MessageDigest is not thread-safe; the event loops are a few fixed threads. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(KeyRing::sha256);

    private final byte[][] digests;

    public KeyRing(Collection<String> keys) {
        this.digests = keys.stream().map(KeyRing::digest).toArray(byte[][]::new);
    }

    public int size() {
        return digests.length;
    }

    /**
     * The fingerprint of the key that {@code authorization} (an {@code Authorization} header's value) presents, if it
     * is {@code Bearer <key>} with one of the keys; null for any other value, another scheme included.
     */
    public String check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String key = authorization.substring(BEARER.length()).strip();
        if (key.isEmpty()) {
            return null;
        }
        byte[] presented = digest(key);
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented); // no early exit: every key is compared
        }
        return match ? fingerprint(presented) : null;
    }

    /**
     * A short name for a key, safe to log: the first 8 hex digits of its SHA-256. It tells keys apart in the access
     * log without revealing them.
     */
    public static String fingerprint(String key) {
        return fingerprint(digest(key));
    }

    private static String fingerprint(byte[] digest) {
        char[] hex = new char[8];
        for (int i = 0; i < 4; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(hex);
    }

    private static byte[] digest(String key) {
        MessageDigest sha = SHA_256.get();
        sha.reset();
        return sha.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
