package dev.switchboard.stream;

import static dev.switchboard.stream.SseEvents.ascii;

import java.nio.charset.StandardCharsets;

import io.vertx.core.buffer.Buffer;

/**
 * Measures the reasoning a client receives, for the log ({@link ReasoningLog}): the text of every
 * {@code reasoning_content} in an answer or in the events of a stream (of {@code reasoning} where an event or answer
 * has no {@code reasoning_content}: some providers' name for it). Chained after a {@link ReasoningSplitter} it sees
 * what the splitter made; under PASSTHROUGH a {@code <think>} left in {@code content} is not counted, as the client
 * gets no reasoning field. Read-only, one instance per request.
 *
 * <p>Nothing is parsed as a tree: the string values are found by their key and decoded where they stand, and an event
 * without {@code "reasoning} in it costs one copy of its bytes and one scan. A key can only match a real key, never text inside a string,
 * because a quote inside a JSON string is always escaped.
 *
 * <p>Lengths count Unicode code points, so an emoji is one character, as a reader would count it.
 */
public final class ReasoningTap implements StreamObserver {

    /** Only reasoning_content (or reasoning) fields count. */
    private static final byte[][] EVENT_KEYS = StreamObserver.keys("\"reasoning");

    @Override
    public byte[][] eventKeys() {
        return EVENT_KEYS;
    }

    private static final byte[] ANY = ascii("\"reasoning");
    private static final byte[] REASONING_CONTENT = ascii("\"reasoning_content\"");
    private static final byte[] REASONING = ascii("\"reasoning\"");

    private final int maxChars;
    private final StringBuilder text = new StringBuilder();
    private long length;
    private int kept;

    /** @param maxChars how much of the text to keep (code points); the length is counted whatever it is */
    public ReasoningTap(int maxChars) {
        if (maxChars < 0) {
            throw new IllegalArgumentException("maxChars < 0: " + maxChars);
        }
        this.maxChars = maxChars;
    }

    @Override
    public Buffer onEvent(Buffer event) {
        read(event);
        return event;
    }

    @Override
    public Buffer onAnswer(Buffer body) {
        read(body);
        return body;
    }

    /** Characters (code points) of reasoning received so far. */
    public long length() {
        return length;
    }

    /** The reasoning received, cut after {@code maxChars} code points. */
    public String text() {
        return text.toString();
    }

    /** Whether {@link #text()} is shorter than what was received. */
    public boolean truncated() {
        return length > kept;
    }

    private void read(Buffer buffer) {
        byte[] json = buffer.getBytes();
        if (!SseEvents.contains(json, ANY)) {
            return;
        }
        if (!readAll(json, REASONING_CONTENT)) {
            readAll(json, REASONING);
        }
    }

    /** Takes the string value of every {@code key} in {@code json}; whether there was any (a null is none). */
    private boolean readAll(byte[] json, byte[] key) {
        boolean found = false;
        for (int at = SseEvents.indexOf(json, key, 0); at >= 0; at = SseEvents.indexOf(json, key, at + key.length)) {
            int i = SseEvents.skipSpace(json, at + key.length);
            if (i >= json.length || json[i] != ':') {
                continue; // the name as a value ("type":"reasoning"), not a key
            }
            i = SseEvents.skipSpace(json, i + 1);
            if (i < json.length && json[i] == '"') {
                int end = stringEnd(json, i + 1);
                if (end > 0) {
                    found = true;
                    add(JsonStrings.unescape(new String(json, i + 1, end - i - 1, StandardCharsets.UTF_8)));
                }
            }
        }
        return found;
    }

    /** Index of the quote closing the string whose text starts at {@code from}, or -1 if it is cut off. */
    private static int stringEnd(byte[] json, int from) {
        for (int i = from; i < json.length; i++) {
            byte b = json[i];
            if (b == '\\') {
                i++;
            } else if (b == '"') {
                return i;
            }
        }
        return -1;
    }

    private void add(String part) {
        int points = part.codePointCount(0, part.length());
        length += points;
        int room = maxChars - kept;
        if (room <= 0) {
            return;
        }
        if (points <= room) {
            text.append(part);
            kept += points;
        } else {
            text.append(part, 0, part.offsetByCodePoints(0, room));
            kept += room;
        }
    }
}
