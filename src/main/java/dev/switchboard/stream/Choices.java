package dev.switchboard.stream;

import static dev.switchboard.stream.SseEvents.ascii;

import java.util.Arrays;
import java.util.Map;

import dev.switchboard.json.JsonTrees;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The {@link ThinkBlock} of each choice of one stream, by {@code index}, and the rewriting of their deltas. */
final class Choices {

    private static final byte[] INDEX = ascii("\"index\"");
    /** More choices than this (n is 1 almost always) are passed on unsplit rather than tracked. */
    private static final int MAX = 128;

    private ThinkBlock[] blocks = new ThinkBlock[1];
    /** The last chunk parsed: its id, model, object... for a chunk made up to carry held text before [DONE]. */
    private JsonObject template;

    boolean holding() {
        for (ThinkBlock block : blocks) {
            if (block != null && block.holding()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether every {@code "index"} in the event names a choice whose block is decided, so the event needs no
     * parsing. An index that is not a choice's (a tool call's) can only make this say no: one needless parse.
     */
    boolean decidedFor(byte[] event) {
        int at = SseEvents.indexOf(event, INDEX, 0);
        if (at < 0) {
            return false;
        }
        while (at >= 0) {
            int i = SseEvents.skipSpace(event, at + INDEX.length);
            if (i >= event.length || event[i] != ':') {
                return false;
            }
            i = SseEvents.skipSpace(event, i + 1);
            int index = 0;
            int digits = 0;
            for (byte b; i < event.length && (b = event[i]) >= '0' && b <= '9' && digits < 4; i++, digits++) {
                index = index * 10 + b - '0';
            }
            if (digits == 0 || index >= blocks.length || blocks[index] == null || !blocks[index].decided()) {
                return false;
            }
            at = SseEvents.indexOf(event, INDEX, i);
        }
        return true;
    }

    /** Splits the content of one choice's delta; true when the chunk changed. */
    boolean rewrite(JsonObject chunk, JsonObject choice, int position, ReasoningMode mode) {
        template = chunk;
        if (!(choice.getValue("delta") instanceof JsonObject delta)) {
            return false;
        }
        long index = choice.getValue("index") instanceof Number number ? number.longValue() : position;
        ThinkBlock block = index >= 0 && index < MAX ? block((int) index) : null;
        if (block == null) {
            return false;
        }
        String original = delta.getValue(ReasoningFields.CONTENT) instanceof String text ? text : null;
        boolean fed = false;
        if (original != null && delta.getValue(ReasoningFields.REASONING_CONTENT) != null) {
            block.backendSplits();
        }
        if (original != null && !block.decided()) {
            block.feed(original);
            fed = true;
        }
        boolean flushed = choice.getValue("finish_reason") != null && block.holding();
        if (flushed) {
            block.end();
        }
        String content = fed || flushed ? block.takeContent() : "";
        String reasoning = fed || flushed ? block.takeReasoning() : "";
        boolean textChanged = fed ? !content.equals(original) || !reasoning.isEmpty()
                : !content.isEmpty() || !reasoning.isEmpty();
        if (!textChanged && !ReasoningFields.hasOwn(delta, mode)) {
            return false;
        }
        ReasoningFields.rewrite(delta, mode, textChanged ? content : null, reasoning, false);
        return true;
    }

    /** The held text of every choice, as made-up chunks (one per choice) to go out before {@code [DONE]}. */
    Buffer flush(ReasoningMode mode) {
        Buffer out = Buffer.buffer();
        for (int index = 0; index < blocks.length; index++) {
            ThinkBlock block = blocks[index];
            if (block == null || !block.holding()) {
                continue;
            }
            block.end();
            JsonObject delta = new JsonObject();
            ReasoningFields.rewrite(delta, mode, block.takeContent(), block.takeReasoning(), false);
            if (delta.isEmpty()) {
                continue; // blank reasoning, or STRIP's: nothing to tell the client
            }
            JsonObject choice = new JsonObject().put("index", index).put("delta", delta).putNull("finish_reason");
            JsonObject chunk = new JsonObject();
            for (Map.Entry<String, Object> field : template) {
                switch (field.getKey()) {
                    case "choices" -> chunk.put("choices", new JsonArray().add(choice));
                    case "usage", "timings" -> { } // counts belong to the backend's own chunks
                    default -> chunk.put(field.getKey(), field.getValue());
                }
            }
            out.appendString("data: ").appendString(JsonTrees.encode(chunk)).appendString("\n\n");
        }
        return out;
    }

    private ThinkBlock block(int index) {
        if (index >= blocks.length) {
            blocks = Arrays.copyOf(blocks, Math.max(index + 1, blocks.length * 2));
        }
        if (blocks[index] == null) {
            blocks[index] = new ThinkBlock();
        }
        return blocks[index];
    }
}
