package dev.switchboard.stream;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.vertx.core.buffer.Buffer;

/**
 * Reads the token counts of one answer as it passes: the {@code usage} object of a JSON answer (chat, completions,
 * embeddings) or of a stream's usage event, and llama.cpp's {@code timings}, which may come in another event (the
 * last chat chunk) than {@code usage}; what later events report replaces what earlier ones did, field by field.
 *
 * <p>Most stream events carry neither: a {@link KeyFinder} skim over the bytes rules them out before anything is
 * parsed, and only the objects found are parsed, not the whole body (an embeddings answer can be megabytes of
 * numbers). Anything that does not parse is passed on unchanged and counts nothing.
 *
 * <p>{@code dropUsageEvent}: Switchboard asked the backend for usage on behalf of a client that did not, so the
 * usage event ({@code usage} beside {@code "choices":[]}, or no {@code choices} at all) is read and then dropped.
 * Only that event: a {@code usage} inside an event that has choices (llama.cpp's {@code /v1/completions} finish
 * chunk, which it sends whether asked or not) stays, because removing it would mean rewriting the finish chunk.
 *
 * <p>{@code addCachedTokens} (llama.cpp, which reports reused prompt tokens only as {@code timings.cache_n}): every
 * {@code usage} that reaches the client, in an answer or an event, gains {@code prompt_tokens_details.cached_tokens}
 * when it has none, spliced in so that every other byte stays as sent.
 */
public final class UsageTap implements StreamObserver {

    /** Only events that carry usage or llama.cpp's timings change what this tap knows or drops. */
    private static final byte[][] EVENT_KEYS = StreamObserver.keys("\"usage\"", "\"timings\"");
    /**
     * ...and, when it drops the usage event, a finish chunk (held for the timings, see {@link #onEvent}); llama.cpp
     * writes compact JSON, so a finish reason that is set reads {@code "finish_reason":"}.
     */
    private static final byte[][] EVENT_KEYS_AND_FINISH = StreamObserver.keys("\"usage\"", "\"timings\"", "\"finish_reason\":\"");

    @Override
    public byte[][] eventKeys() {
        return dropUsageEvent ? EVENT_KEYS_AND_FINISH : EVENT_KEYS;
    }

    @Override
    public boolean holding() {
        return held != null;
    }

    private static final KeyFinder KEYS = new KeyFinder("usage", "timings");
    private static final KeyFinder CHOICES = new KeyFinder("choices");
    private static final KeyFinder FINISH = new KeyFinder("finish_reason");

    private final boolean dropUsageEvent;
    private final boolean addCachedTokens;
    private long prompt = -1;
    private long completion = -1;
    private long total = -1;
    private long cached = -1;
    private long cacheN = -1;
    private long reasoning = -1;
    private double tokensPerSecond = -1;
    /** A finish chunk held back until the next event shows whether it was the usage event (dropUsageEvent only). */
    private Buffer held;
    /** The {@code timings} object of the usage event just dropped. */
    private Buffer droppedTimings;

    public UsageTap(boolean dropUsageEvent, boolean addCachedTokens) {
        this.dropUsageEvent = dropUsageEvent;
        this.addCachedTokens = addCachedTokens;
    }

    /**
     * With {@code dropUsageEvent}, llama.cpp's {@code timings} must not go with the dropped event: asked for usage, it
     * moves them from the finish chunk to the usage event. So a finish chunk without usage or timings is held until
     * the next event; when that is the usage event, the chunk goes out with its timings, as llama.cpp would have sent
     * it to a client that did not ask.
     */
    @Override
    public Buffer onEvent(Buffer event) {
        droppedTimings = null;
        Buffer out = take(event, true);
        if (!dropUsageEvent) {
            return out;
        }
        Buffer release = held;
        held = null;
        if (release != null && out.length() == 0 && droppedTimings != null) {
            release = withTimings(release, droppedTimings);
        }
        if (out.length() > 0 && isBareFinish(out)) {
            held = out;
            out = Buffer.buffer();
        }
        if (release == null) {
            return out;
        }
        return out.length() == 0 ? release : Buffer.buffer().appendBuffer(release).appendBuffer(out);
    }

    @Override
    public Buffer flush() {
        Buffer release = held;
        held = null;
        return release == null ? Buffer.buffer() : release;
    }

    @Override
    public Buffer onAnswer(Buffer body) {
        return take(body, false);
    }

    @Override
    public boolean rewritesAnswers() {
        return addCachedTokens;
    }

    /** What the backend reported so far (all of it once {@link #onEnd} was called); -1 for what it did not. */
    public Usage usage() {
        long cachedOrCacheN = cached >= 0 ? cached : cacheN;
        if (prompt < 0 && completion < 0 && total < 0 && cachedOrCacheN < 0 && reasoning < 0 && tokensPerSecond < 0) {
            return Usage.NONE;
        }
        return new Usage(prompt, completion, total, cachedOrCacheN, reasoning, tokensPerSecond);
    }

    private Buffer take(Buffer data, boolean event) {
        try {
            int[] at = KEYS.values(data);
            if (isObject(data, at[1])) {
                readTimings(data, at[1]);
            }
            UsageObject usage = isObject(data, at[0]) ? UsageObject.read(data, at[0]) : null;
            if (usage == null) {
                return data;
            }
            prompt = newer(prompt, usage.prompt);
            completion = newer(completion, usage.completion);
            total = newer(total, usage.total);
            cached = newer(cached, usage.cached);
            reasoning = newer(reasoning, usage.reasoning);
            if (event && dropUsageEvent && !hasChoices(data)) {
                if (isObject(data, at[1])) {
                    droppedTimings = objectAt(data, at[1]);
                }
                return Buffer.buffer(); // a new one each time: buffers are mutable, a shared one could be written to
            }
            if (addCachedTokens && cacheN >= 0 && usage.canAddCached()) {
                return usage.withCached(data, cacheN);
            }
            return data;
        } catch (RuntimeException e) {
            return data; // a bug here must not cost the client its answer: at worst a count is missing
        }
    }

    private void readTimings(Buffer data, int at) {
        long n = -1;
        double perSecond = -1;
        try (JsonParser p = JsonBytes.parser(data, at)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("cache_n".equals(name)) {
                    n = UsageObject.count(p, value);
                } else if ("predicted_per_second".equals(name) && value.isNumeric()) {
                    perSecond = p.getValueAsDouble(-1);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            return; // counts from a broken object are not trusted
        }
        cacheN = newer(cacheN, n);
        tokensPerSecond = perSecond >= 0 ? perSecond : tokensPerSecond;
    }

    /** A chunk with a finish reason and neither usage nor timings: llama.cpp's finish chunk when asked for usage. */
    private static boolean isBareFinish(Buffer data) {
        int at = FINISH.values(data)[0];
        if (at < 0 || at >= data.length() || data.getByte(at) != '"') {
            return false;
        }
        int[] keys = KEYS.values(data);
        return keys[0] < 0 && keys[1] < 0;
    }

    /** The bytes of the JSON object starting at {@code at}; null if it does not parse. */
    private static Buffer objectAt(Buffer data, int at) {
        try (JsonParser p = JsonBytes.parser(data, at)) {
            p.nextToken();
            p.skipChildren();
            int end = JsonBytes.offset(p);
            return end < 0 ? null : data.getBuffer(at, at + end + 1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The event with {@code "timings":...} added as the last member of its object, where llama.cpp puts it. */
    private static Buffer withTimings(Buffer event, Buffer timings) {
        int close = event.length() - 1;
        while (close >= 0 && event.getByte(close) != '}') {
            close--;
        }
        if (close < 0) {
            return event;
        }
        return Buffer.buffer(event.length() + timings.length() + 12)
                .appendBuffer(event, 0, close)
                .appendString(",\"timings\":")
                .appendBuffer(timings)
                .appendBuffer(event, close, event.length() - close);
    }

    private static long newer(long old, long reported) {
        return reported >= 0 ? reported : old;
    }

    private static boolean isObject(Buffer data, int at) {
        return at >= 0 && at < data.length() && data.getByte(at) == '{';
    }

    /** Whether the event has choices: not when {@code choices} is absent, null or {@code []}. */
    private static boolean hasChoices(Buffer data) {
        int at = CHOICES.values(data)[0];
        if (at < 0 || at >= data.length() || data.getByte(at) == 'n') {
            return false;
        }
        int next = JsonBytes.skipSpace(data, at + 1);
        return data.getByte(at) != '[' || next >= data.length() || data.getByte(next) != ']';
    }
}
