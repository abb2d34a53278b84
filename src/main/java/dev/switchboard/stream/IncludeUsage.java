package dev.switchboard.stream;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.vertx.core.buffer.Buffer;

/**
 * Makes a streaming request ask for usage ({@code "stream_options":{"include_usage":true}}) so that a stream can be
 * accounted for even when the client did not ask. The body is spliced, not re-serialised: every byte the client sent
 * stays as it was, only the option is inserted or its value replaced. Offsets come from Jackson's token locations,
 * which count bytes, so multi-byte characters before the option are no trouble.
 */
public final class IncludeUsage {

    /** What the client itself said about usage, which decides whether it gets the usage event. */
    public enum Asked {
        /** {@code include_usage: true}: the client gets the usage event. */
        YES,
        /** {@code include_usage: false}: the client refused it; Switchboard asks anyway and drops the event. */
        NO,
        /** Nothing said (no {@code stream_options}, or no or a null {@code include_usage}): the event is dropped. */
        ABSENT
    }

    /** The body to send to the backend (the same buffer when unchanged), and what the client asked. */
    public record Result(Buffer body, Asked asked) {
    }

    private static final String INCLUDE = "\"include_usage\":true";

    private IncludeUsage() {
    }

    /**
     * The body with {@code stream_options.include_usage} true. A body that is odd in any way (not one JSON object,
     * {@code stream_options} or {@code include_usage} of a surprising type or given twice) comes back unchanged with
     * {@link Asked#YES}: then the backend streams what the client asked for, and nothing is dropped.
     */
    public static Result ensure(Buffer body) {
        try (JsonParser p = JsonBytes.parser(body, 0)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return unchanged(body);
            }
            int open = JsonBytes.offset(p);
            JsonToken t = p.nextToken();
            boolean empty = t == JsonToken.END_OBJECT;
            Result found = null;
            for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!"stream_options".equals(name)) {
                    p.skipChildren();
                    continue;
                }
                if (found != null) {
                    return unchanged(body); // which of the two the backend would read is anyone's guess
                }
                found = options(body, p, value);
                if (found == null) {
                    return unchanged(body);
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null || open < 0) {
                return unchanged(body);
            }
            if (found != null) {
                return found;
            }
            // first, so the insertion never depends on where the object ends or on trailing whitespace
            String option = "\"stream_options\":{" + INCLUDE + "}" + (empty ? "" : ",");
            return new Result(JsonBytes.splice(body, open + 1, open + 1, option), Asked.ABSENT);
        } catch (IOException | RuntimeException e) {
            return unchanged(body);
        }
    }

    /** The result for the value of {@code stream_options}, the parser on its first token; null if it is odd. */
    private static Result options(Buffer body, JsonParser p, JsonToken value) throws IOException {
        int at = JsonBytes.offset(p);
        if (at < 0) {
            return null;
        }
        if (value == JsonToken.VALUE_NULL) {
            return new Result(replace(body, at, "null", "{" + INCLUDE + "}"), Asked.ABSENT);
        }
        if (value != JsonToken.START_OBJECT) {
            return null;
        }
        Result result = null;
        JsonToken t = p.nextToken();
        boolean empty = t == JsonToken.END_OBJECT;
        for (; t == JsonToken.FIELD_NAME; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!"include_usage".equals(name)) {
                p.skipChildren();
                continue;
            }
            int valueAt = JsonBytes.offset(p);
            if (result != null || valueAt < 0) {
                return null;
            }
            result = switch (v) {
                case VALUE_TRUE -> new Result(body, Asked.YES);
                case VALUE_FALSE -> new Result(replace(body, valueAt, "false", "true"), Asked.NO);
                case VALUE_NULL -> new Result(replace(body, valueAt, "null", "true"), Asked.ABSENT);
                default -> null;
            };
            if (result == null) {
                return null;
            }
        }
        if (result != null) {
            return result;
        }
        return new Result(JsonBytes.splice(body, at + 1, at + 1, INCLUDE + (empty ? "" : ",")), Asked.ABSENT);
    }

    /** {@code body} with the literal {@code old} found at {@code at} replaced by {@code text}. */
    private static Buffer replace(Buffer body, int at, String old, String text) {
        return JsonBytes.splice(body, at, at + old.length(), text);
    }

    private static Result unchanged(Buffer body) {
        return new Result(body, Asked.YES);
    }
}
