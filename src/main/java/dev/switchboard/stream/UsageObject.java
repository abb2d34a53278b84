package dev.switchboard.stream;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.vertx.core.buffer.Buffer;

/**
 * One {@code usage} object read in place: its counts, and the edit that would add
 * {@code prompt_tokens_details.cached_tokens} to it without touching any other byte.
 */
final class UsageObject {

    private static final String CACHED = "\"cached_tokens\":";

    long prompt = -1;
    long completion = -1;
    long total = -1;
    /** {@code prompt_tokens_details.cached_tokens}; -1 when absent, null or not a count. */
    long cached = -1;
    long reasoning = -1;
    /** Bytes {@code [editFrom, editTo)} become {@code head + count + tail}; {@code editFrom < 0}: no edit fits. */
    private int editFrom = -1;
    private int editTo;
    private String head;
    private String tail;

    /** Reads the object whose opening brace is at {@code at}; null if it is not well-formed. */
    static UsageObject read(Buffer data, int at) {
        try (JsonParser p = JsonBytes.parser(data, at)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            UsageObject u = new UsageObject();
            boolean empty = true;
            boolean details = false;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                empty = false;
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "prompt_tokens" -> u.prompt = count(p, value);
                    case "completion_tokens" -> u.completion = count(p, value);
                    case "total_tokens" -> u.total = count(p, value);
                    case "completion_tokens_details" -> u.reasoning = member(p, value, "reasoning_tokens");
                    case "prompt_tokens_details" -> {
                        details = true;
                        u.readPromptDetails(p, value, at);
                    }
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
            if (!details) { // appended last, where OpenAI puts it after the three counts
                int end = at + JsonBytes.offset(p);
                u.edit(at, end, end, (empty ? "" : ",") + "\"prompt_tokens_details\":{" + CACHED, "}");
            }
            return u;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@link #withCached} can add the count: there is none, and the shape leaves room for one. */
    boolean canAddCached() {
        return cached < 0 && editFrom >= 0;
    }

    /** {@code data} with {@code prompt_tokens_details.cached_tokens} set to {@code count}, all else unchanged. */
    Buffer withCached(Buffer data, long count) {
        return JsonBytes.splice(data, editFrom, editTo, head + count + tail);
    }

    private void readPromptDetails(JsonParser p, JsonToken value, int at) throws IOException {
        int start = at + JsonBytes.offset(p);
        if (value == JsonToken.VALUE_NULL) {
            edit(at, start, start + "null".length(), "{" + CACHED, "}");
            return;
        }
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren(); // a shape we do not know: leave it alone
            return;
        }
        boolean empty = true;
        boolean seen = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            empty = false;
            String name = p.currentName();
            JsonToken inner = p.nextToken();
            if ("cached_tokens".equals(name)) {
                seen = true;
                cached = count(p, inner);
                if (inner == JsonToken.VALUE_NULL) { // "not known": the backend's timings do know
                    int nullAt = at + JsonBytes.offset(p);
                    edit(at, nullAt, nullAt + "null".length(), "", "");
                }
            } else {
                p.skipChildren();
            }
        }
        if (!seen) {
            int end = at + JsonBytes.offset(p);
            edit(at, end, end, (empty ? "" : ",") + CACHED, "");
        }
    }

    private void edit(int at, int from, int to, String head, String tail) {
        if (from >= at) { // a parser that cannot tell byte offsets reports -1: then no edit
            this.editFrom = from;
            this.editTo = to;
            this.head = head;
            this.tail = tail;
        }
    }

    /** A token count, or -1 for anything that is not a non-negative number (null, a string, an object). */
    static long count(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            long n = p.getValueAsLong(-1);
            return n >= 0 ? n : -1;
        }
        p.skipChildren();
        return -1;
    }

    /** The count {@code name} inside the object {@code value} starts, or -1. */
    static long member(JsonParser p, JsonToken value, String name) throws IOException {
        long n = -1;
        if (value != JsonToken.START_OBJECT) {
            p.skipChildren();
            return n;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            boolean wanted = name.equals(p.currentName());
            JsonToken inner = p.nextToken();
            if (wanted) {
                n = count(p, inner);
            } else {
                p.skipChildren();
            }
        }
        return n;
    }
}
