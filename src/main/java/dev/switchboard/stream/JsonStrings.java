package dev.switchboard.stream;

/** The text of a JSON string literal found in place, without building a tree around it. */
final class JsonStrings {

    private JsonStrings() {
    }

    /**
     * The text of a JSON string's inside (quotes excluded): escapes resolved (a {@code \\u} surrogate pair gives the two
     * chars of one code point). A malformed escape is kept as written: the backend's JSON is not ours to judge, only to measure.
     */
    static String unescape(String raw) {
        int slash = raw.indexOf('\\');
        if (slash < 0) {
            return raw; // the usual case: no escapes, no copy
        }
        StringBuilder out = new StringBuilder(raw.length());
        out.append(raw, 0, slash);
        int i = slash;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c != '\\' || i + 1 >= raw.length()) {
                out.append(c);
                i++;
                continue;
            }
            char e = raw.charAt(i + 1);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    int code = i + 6 <= raw.length() ? hex(raw, i + 2) : -1;
                    if (code < 0) {
                        out.append(c).append(e);
                        i += 2;
                        continue;
                    }
                    out.append((char) code);
                    i += 6;
                    continue;
                }
                default -> out.append(e); // \" \\ \/
            }
            i += 2;
        }
        return out.toString();
    }

    private static int hex(String raw, int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(raw.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
