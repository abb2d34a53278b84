package dev.switchboard.upstream;

/**
 * Strict UTF-8 validation (RFC 3629): no stray continuation bytes, no overlong forms, no UTF-16 surrogates, nothing
 * past U+10FFFF, no sequence cut short.
 *
 * <p>Why not leave it to the JSON scan: Jackson does not decode the string values it skips (every field but
 * {@code model}), it only checks that each lead byte is followed by continuation bytes, so overlong forms, encoded
 * surrogates and code points past U+10FFFF went through to the backend.
 */
final class Utf8 {

    private Utf8() {
    }

    /** The offset of the first byte that is not part of a valid UTF-8 sequence, or -1 when all of them are. */
    static int firstInvalid(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c >= 0) { // ASCII, most of any JSON body
                i++;
                continue;
            }
            c &= 0xFF;
            int need;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                return i; // a continuation byte out of place, C0/C1 (always overlong), F5..FF
            }
            if (i + need >= n) {
                return i; // cut short by the end of the body
            }
            int cp = c & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                int cont = b[i + k] & 0xFF;
                if ((cont & 0xC0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (cont & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i;
            }
            i += need + 1;
        }
        return -1;
    }
}
