package dev.switchboard.stream;

/**
 * Finds the {@code <think>...</think>} block at the very start of one choice's text, fed piece by piece (each delta,
 * or a whole message once), and cuts it as llama.cpp does with {@code --reasoning-format deepseek}. From the
 * recordings: reasoning is kept as is, leading space included ({@code think_deepseek_unclosed}: {@code " Meadow..."});
 * the two newlines after {@code </think>} go, a space after them stays ({@code think_none_chat}
 * {@code "</think>\n\n making"} is {@code think_deepseek_chat}'s content {@code " making"}); unclosed, all is reasoning.
 * From llama.cpp's parser source, as no recording shows it: one newline right after {@code <think>} goes, at most two
 * after {@code </think>}, and whitespace-only reasoning is no reasoning. No leading whitespace before the tag.
 *
 * <p>Text is held back only while it could still change meaning: a prefix of {@code <think>} at the start, a prefix
 * of {@code </think>} ending the reasoning so far, reasoning that is blank so far. So the concatenated output is the
 * same however the text was cut. One instance per choice.
 */
final class ThinkBlock {

    static final String OPEN = "<think>";
    static final String CLOSE = "</think>";

    private enum State { START, OPENED, THINKING, CLOSED, PLAIN }

    private State state = State.START;
    private final StringBuilder held = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final StringBuilder content = new StringBuilder();
    /** Non-blank reasoning has gone out: later whitespace is reasoning like any other text. */
    private boolean reasoned;
    /** Newlines dropped after {@code </think>} so far. */
    private int newlines;

    /** Nothing held and nothing left to look for: later text of this choice is content as it is. */
    boolean decided() {
        return state == State.PLAIN && held.isEmpty();
    }

    boolean holding() {
        return !held.isEmpty();
    }

    void feed(String text) {
        held.append(text);
        advance(false);
    }

    /** The text is over (finish reason, end of stream): what was held goes out as what it turned out to be. */
    void end() {
        advance(true);
        state = State.PLAIN;
    }

    /**
     * The backend splits reasoning itself ({@code reasoning_content} beside {@code content}): its content is the
     * answer, a {@code <think>} in it included. Only before anything was found; what was held goes out as content.
     */
    void backendSplits() {
        if (state == State.START) {
            state = State.PLAIN;
            advance(false);
        }
    }

    String takeReasoning() {
        return take(reasoning);
    }

    String takeContent() {
        return take(content);
    }

    private static String take(StringBuilder out) {
        String text = out.toString();
        out.setLength(0);
        return text;
    }

    private void advance(boolean end) {
        while (true) {
            switch (state) {
                case START -> {
                    int n = Math.min(held.length(), OPEN.length());
                    boolean tag = matches(held, 0, OPEN, n);
                    if (tag && n < OPEN.length() && !end) {
                        return; // "<thi": could still become the tag
                    }
                    held.delete(0, tag && n == OPEN.length() ? n : 0);
                    state = tag && n == OPEN.length() ? State.OPENED : State.PLAIN;
                }
                case OPENED -> {
                    if (held.isEmpty()) {
                        return; // the newline llama.cpp drops may still come
                    }
                    if (held.charAt(0) == '\n') {
                        held.deleteCharAt(0);
                    }
                    state = State.THINKING;
                }
                case THINKING -> {
                    int close = held.indexOf(CLOSE);
                    if (close < 0) {
                        reason(end ? held.length() : held.length() - partialClose(), end);
                        return;
                    }
                    reason(close, true);
                    held.delete(0, CLOSE.length());
                    state = State.CLOSED;
                }
                case CLOSED -> {
                    while (newlines < 2 && !held.isEmpty() && held.charAt(0) == '\n') {
                        held.deleteCharAt(0);
                        newlines++;
                    }
                    if (newlines < 2 && held.isEmpty() && !end) {
                        return; // a dropped newline may still come
                    }
                    state = State.PLAIN;
                }
                case PLAIN -> {
                    content.append(held);
                    held.setLength(0);
                    return;
                }
            }
        }
    }

    /** Moves {@code held[0, upto)} to the reasoning; blank reasoning waits for more text, or is dropped if last. */
    private void reason(int upto, boolean last) {
        boolean blank = !reasoned && blank(upto);
        if (blank && !last) {
            return;
        }
        if (!blank) {
            reasoning.append(held, 0, upto);
            reasoned = true;
        }
        held.delete(0, upto);
    }

    /** Length of the longest end of {@code held} that is a proper prefix of {@code </think>}. */
    private int partialClose() {
        for (int n = Math.min(held.length(), CLOSE.length() - 1); n > 0; n--) {
            if (matches(held, held.length() - n, CLOSE, n)) {
                return n;
            }
        }
        return 0;
    }

    private boolean blank(int upto) {
        return held.chars().limit(upto).allMatch(c -> c == ' ' || c == '\n' || c == '\r' || c == '\t');
    }

    /** Whether {@code text[at, at + n)} equals the first {@code n} chars of {@code tag}. */
    private static boolean matches(CharSequence text, int at, String tag, int n) {
        for (int i = 0; i < n; i++) {
            if (text.charAt(at + i) != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
