package dev.switchboard.stream;

import org.jboss.logging.Logger;

/**
 * One line per answer that carried reasoning, on the {@code switchboard.reasoning} logger: at INFO its length; with
 * the logger at DEBUG ({@code quarkus.log.category."switchboard.reasoning".level=DEBUG}) the same line also carries
 * the text as kept by the {@link ReasoningTap} (cut at its maximum). Model text is user data: it is written only on
 * that explicit opt-in, and escaped so that it stays on its one line (a model could otherwise write fake log lines).
 */
public final class ReasoningLog {

    private static final Logger LOG = Logger.getLogger("switchboard.reasoning");

    private ReasoningLog() {
    }

    /**
     * Logs the reasoning of one answer. Nothing is logged when there was none: most requests have no reasoning, the
     * access log already has a line for each, and a line saying 0 would double the logging of every such request for
     * no news.
     */
    public static void log(String requestId, String backend, String model, ReasoningTap tap) {
        if (tap == null || tap.length() == 0 || !LOG.isInfoEnabled()) {
            return;
        }
        // built by hand, like the access line: no format parsing per request
        StringBuilder line = new StringBuilder(96)
                .append("request=").append(orDash(requestId))
                .append(" backend=").append(orDash(backend))
                .append(" model=").append(orDash(model))
                .append(" reasoning_chars=").append(tap.length());
        if (LOG.isDebugEnabled()) {
            line.append(" truncated=").append(tap.truncated()).append(" text=\"");
            escape(tap.text(), line);
            line.append('"');
        }
        LOG.info(line);
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    /** JSON-style escapes: quotes, backslashes and every control character, so the text cannot break the line. */
    static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
