package dev.switchboard.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

class KeyRingTest {

    private final KeyRing ring = new KeyRing(List.of("sk-one", "sk-two"));

    /** Computed here independently of KeyRing: the first 8 hex digits of the key's SHA-256. */
    private static String sha256Prefix(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 8);
    }

    @Test
    void aBearerKeyOfTheRingGivesItsFingerprint() throws Exception {
        assertEquals(sha256Prefix("sk-one"), ring.check("Bearer sk-one"));
        assertEquals(sha256Prefix("sk-two"), ring.check("Bearer sk-two"));
        assertEquals(sha256Prefix("sk-two"), ring.check("bearer   sk-two "));
        assertEquals(sha256Prefix("sk-one"), KeyRing.fingerprint("sk-one"));
    }

    @Test
    void anythingElseGivesNull() {
        for (String value : new String[] {null, "", "sk-one", "Bearer", "Bearer ", "Bearer sk-on", "Bearer sk-one1",
                "Bearer SK-ONE", "Basic c2stb25l", "Bearersk-one", "Token sk-one", "Bearer sk-one sk-two"}) {
            assertNull(ring.check(value), value);
        }
        assertNull(new KeyRing(List.of()).check("Bearer sk-one"));
    }
}
