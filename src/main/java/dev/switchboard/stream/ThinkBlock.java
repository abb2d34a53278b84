package dev.switchboard.stream;

/**
 * Finds the {@code <think>...</think>} block at the start of one choice's text, fed piece by piece (each delta of a
 * stream, or a whole message at once), and splits the text into reasoning and content the way llama.cpp's own parser
 * does with {@code --reasoning-format deepseek} (its PEG parser: {@code optspace("<think>\n")}, reasoning up to
 * {@code </think>}, {@code optspace("\n</think>\n\n")}; whitespace-only reasoning dropped):
 * <ul>
 * <li>the block counts only at the very start of the text (no leading whitespace, as llama.cpp);</li>
 * <li>one newline right after {@code <think>} is dropped, the reasoning is otherwise kept byte for byte (a leading
 * space stays: recorded {@code think_deepseek_unclosed} has {@code " Meadow..."});</li>
 * <li>up to two newlines right after {@code </think>} are dropped, nothing else: recorded {@code think_none_chat} has
 * {@code "</think>\n\n making"} where {@code think_deepseek_chat} has content {@code " making"};</li>
 * <li>no {@code </think>} before the end: everything after {@code <think>} is reasoning;</li>
 * <li>reasoning that is only whitespace is dropped (llama.cpp sends no {@code reasoning_content} then).</li>
 * </ul>
 * Text is held back only while it could still change meaning: a prefix of {@code <think>} at the start, a prefix of
 * {@code </think>} at the end of the reasoning so far, blank reasoning so far. So the concatenated output is the same
 * however the text was cut into pieces. One instance per choice; not thread-safe.
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
                    if (!matches(held, 0, OPEN, n)) {
                        state = State.PLAIN;
                    } else if (n < OPEN.length()) {
                        if (!end) {
                            return; // "<thi": could still become the tag
                        }
                        state = State.PLAIN;
                    } else {
                        held.delete(0, n);
                        state = State.OPENED;
                    }
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
        for (int i = 0; i < upto; i++) {
            char c = held.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return false;
            }
        }
        return true;
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
