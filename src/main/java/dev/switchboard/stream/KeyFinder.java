package dev.switchboard.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.vertx.core.buffer.Buffer;

/**
 * Finds JSON object keys ({@code "usage":}) in raw bytes without parsing, so that the many stream events that carry
 * none of them cost a skim and nothing more. A Horspool search for several keys at once: it looks at roughly one
 * byte in six instead of every byte, and reads no byte twice unless a key's closing quote is under the cursor.
 *
 * <p>A match is a key, not text: inside a JSON string every quote is escaped, so {@code "usage"} followed by a colon
 * can only be a key (at whatever depth). Callers parse what is found, so a false hit costs time, never correctness.
 */
final class KeyFinder {

    private final byte[][] keys;
    /** Length of the shortest quoted key: the window the shift table is built on. */
    private final int window;
    private final int[] shift = new int[256];

    KeyFinder(String... names) {
        keys = new byte[names.length][];
        int shortest = Integer.MAX_VALUE;
        for (int k = 0; k < names.length; k++) {
            keys[k] = ('"' + names[k] + '"').getBytes(StandardCharsets.UTF_8);
            shortest = Math.min(shortest, keys[k].length);
        }
        window = shortest;
        Arrays.fill(shift, window);
        for (byte[] key : keys) {
            for (int j = key.length - window; j < key.length - 1; j++) {
                shift[key[j] & 0xff] = Math.min(shift[key[j] & 0xff], key.length - 1 - j);
            }
        }
    }

    /**
     * For each key, in the order given, where the value of its first occurrence starts (the byte after the colon and
     * any whitespace), or -1 if the key does not occur. Stops as soon as every key is found.
     */
    int[] values(Buffer data) {
        int[] found = new int[keys.length];
        Arrays.fill(found, -1);
        int missing = keys.length;
        int length = data.length();
        int i = window - 1;
        while (i < length) {
            byte last = data.getByte(i);
            if (last == '"') { // every key ends in a quote: only there can one end
                for (int k = 0; k < keys.length; k++) {
                    if (found[k] < 0 && endsAt(data, keys[k], i)) {
                        int colon = JsonBytes.skipSpace(data, i + 1);
                        if (colon < length && data.getByte(colon) == ':') {
                            found[k] = JsonBytes.skipSpace(data, colon + 1);
                            if (--missing == 0) {
                                return found;
                            }
                        }
                    }
                }
            }
            i += shift[last & 0xff];
        }
        return found;
    }

    private static boolean endsAt(Buffer data, byte[] key, int end) {
        int start = end - key.length + 1;
        if (start < 0) {
            return false;
        }
        for (int j = key.length - 2; j >= 0; j--) {
            if (data.getByte(start + j) != key[j]) {
                return false;
            }
        }
        return true;
    }
}
