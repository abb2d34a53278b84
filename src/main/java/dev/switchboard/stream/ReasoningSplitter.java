package dev.switchboard.stream;

import static dev.switchboard.stream.SseEvents.ascii;
import static dev.switchboard.stream.SseEvents.contains;

import dev.switchboard.json.JsonTrees;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Moves a leading {@code <think>...</think>} out of chat {@code content} into {@code reasoning_content} (SPLIT), or
 * drops it with every reasoning field (STRIP); {@link ThinkBlock} says how the text is cut. A backend's
 * {@code reasoning} field becomes {@code reasoning_content} under SPLIT. One instance per request.
 *
 * <p>Streams keep their events: same count, same order, every other field as sent. Text that could still be part of a
 * tag is taken out of its event and given to a later event of the same choice, at the latest the one with its
 * {@code finish_reason}; if the stream ends without one, a chunk carrying it goes out just before {@code [DONE]} (a
 * stream cut off before either loses those few characters: {@link #onEnd} has no way to send). Any event this class
 * does not rewrite goes on as the same buffer. Cheap byte checks keep most events from being parsed: once every
 * choice's block is decided, only events naming a reasoning field are (those STRIP must remove, or SPLIT must rename).
 *
 * <p>A message or delta with a {@code reasoning_content} beside its content was split by the backend: that content is
 * not searched (in a stream only a delta carrying both shows it; reasoning-only deltas are not parsed to find out).
 *
 * <p>Only chat is split. {@code /v1/completions} ({@code choices[].text}) passes unchanged: llama.cpp itself never
 * splits it (recorded {@code think_deepseek_completions} keeps {@code </think>} in {@code text}), its schema has no
 * reasoning field, and a raw prompt rarely makes the model open with {@code <think>}.
 */
public final class ReasoningSplitter implements StreamObserver {

    private static final byte[] CONTENT = ascii("\"content\"");
    private static final byte[] THINK = ascii(ThinkBlock.OPEN);
    private static final byte[] REASONING = ascii("\"reasoning\"");
    private static final byte[] ANY_REASONING = ascii("\"reasoning"); // reasoning or reasoning_content

    private final ReasoningMode mode;
    private final byte[] reasoningKey;
    private final Choices choices = new Choices();
    /** How many events or answers were parsed: the fast path is a promise, tests hold it to it. */
    int parsed;

    /** @param mode SPLIT or STRIP; PASSTHROUGH needs no observer at all */
    public ReasoningSplitter(ReasoningMode mode) {
        if (mode != ReasoningMode.SPLIT && mode != ReasoningMode.STRIP) {
            throw new IllegalArgumentException("a splitter splits or strips, not " + mode);
        }
        this.mode = mode;
        this.reasoningKey = mode == ReasoningMode.SPLIT ? REASONING : ANY_REASONING;
    }

    @Override
    public boolean rewritesAnswers() {
        return true;
    }

    @Override
    public Buffer onEvent(Buffer event) {
        boolean holding = choices.holding();
        byte[] bytes = event.getBytes();
        if (!holding && !contains(bytes, reasoningKey)
                && !(contains(bytes, CONTENT) && !choices.decidedFor(bytes))) {
            return event;
        }
        SseEvents.Payload payload = SseEvents.payload(event, bytes);
        if (payload == null) {
            return event;
        }
        if (payload.isDone()) {
            return holding ? choices.flush(mode).appendBuffer(event) : event;
        }
        parsed++;
        JsonObject chunk = payload.object();
        if (chunk == null || !(chunk.getValue("choices") instanceof JsonArray list)) {
            return event;
        }
        boolean changed = false;
        for (int i = 0; i < list.size(); i++) {
            if (list.getValue(i) instanceof JsonObject choice) {
                changed |= choices.rewrite(chunk, choice, i, mode);
            }
        }
        return changed ? payload.with(chunk) : event;
    }

    @Override
    public Buffer onAnswer(Buffer body) {
        byte[] bytes = body.getBytes();
        if (!contains(bytes, THINK) && !contains(bytes, reasoningKey)) {
            return body;
        }
        parsed++;
        if (!(JsonTrees.parse(bytes) instanceof JsonObject answer)
                || !(answer.getValue("choices") instanceof JsonArray list)) {
            return body;
        }
        boolean changed = false;
        for (int i = 0; i < list.size(); i++) {
            if (list.getValue(i) instanceof JsonObject choice && choice.getValue("message") instanceof JsonObject message) {
                changed |= rewriteMessage(message);
            }
        }
        return changed ? Buffer.buffer(JsonTrees.encode(answer)) : body;
    }

    private boolean rewriteMessage(JsonObject message) {
        String content = message.getValue(ReasoningFields.CONTENT) instanceof String text ? text : null;
        String newContent = null;
        String reasoning = null;
        // a message with its own reasoning_content was split by the backend: its content is all answer
        if (content != null && message.getValue(ReasoningFields.REASONING_CONTENT) == null) {
            ThinkBlock block = new ThinkBlock();
            block.feed(content);
            block.end();
            reasoning = block.takeReasoning();
            String split = block.takeContent();
            if (!split.equals(content) || !reasoning.isEmpty()) {
                newContent = split;
            }
        }
        if (newContent == null && !ReasoningFields.hasOwn(message, mode)) {
            return false;
        }
        ReasoningFields.rewrite(message, mode, newContent, reasoning, true); // a message keeps "content": ""
        return true;
    }
}
