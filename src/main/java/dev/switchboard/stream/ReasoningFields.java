package dev.switchboard.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * Rewrites the text fields of one {@code message} (answer) or {@code delta} (stream chunk) in place, keeping the order
 * of its fields: a client or a test diffing the JSON sees only the fields that had to change.
 */
final class ReasoningFields {

    static final String CONTENT = "content";
    static final String REASONING_CONTENT = "reasoning_content";
    /** What some providers call {@code reasoning_content}. */
    static final String REASONING = "reasoning";

    private ReasoningFields() {
    }

    /** Whether {@link #rewrite} has anything to do about the backend's own reasoning fields. */
    static boolean hasOwn(JsonObject fields, ReasoningMode mode) {
        return switch (mode) {
            case SPLIT -> fields.containsKey(REASONING) && renamable(fields.getValue(REASONING));
            case STRIP -> fields.containsKey(REASONING) || fields.containsKey(REASONING_CONTENT);
            case PASSTHROUGH -> false;
        };
    }

    /**
     * Applies {@code mode} to the backend's reasoning fields and, when {@code content} is not null, puts the split
     * text in: {@code content} where it was (left out when empty unless {@code keepEmpty}: a delta without content is
     * what llama.cpp sends itself), {@code reasoning} (SPLIT only, when not empty) as {@code reasoning_content} right
     * after it, as llama.cpp orders them. Under SPLIT a {@code reasoning_content} the backend sent keeps its value and
     * place, and a {@code reasoning} beside it is taken for a duplicate and dropped; split text for the same message
     * (a backend doing both is not known) is appended to it rather than lost.
     */
    static void rewrite(JsonObject fields, ReasoningMode mode, String content, String reasoning, boolean keepEmpty) {
        Map<String, Object> map = fields.getMap();
        boolean split = mode == ReasoningMode.SPLIT;
        boolean hasOwn = map.containsKey(REASONING_CONTENT);
        Object other = map.get(REASONING);
        boolean rename = split && !hasOwn && map.containsKey(REASONING) && renamable(other);
        boolean dropOther = mode == ReasoningMode.STRIP || split && hasOwn && renamable(other);
        Object value = rename ? other : map.get(REASONING_CONTENT);
        boolean adds = split && reasoning != null && !reasoning.isEmpty();
        if (adds) {
            value = value instanceof String own ? own + reasoning : reasoning;
        }
        boolean place = split && (hasOwn || rename || adds);
        List<Map.Entry<String, Object>> entries = new ArrayList<>(map.entrySet());
        map.clear();
        for (Map.Entry<String, Object> entry : entries) {
            String key = entry.getKey();
            if (key.equals(CONTENT) && content != null) {
                putContent(map, content, keepEmpty);
                if (place && !hasOwn && !rename) {
                    map.put(REASONING_CONTENT, value);
                }
            } else if (key.equals(REASONING_CONTENT)) {
                if (place) {
                    map.put(key, value);
                }
            } else if (key.equals(REASONING) && (rename || dropOther)) {
                if (rename) {
                    map.put(REASONING_CONTENT, value);
                }
            } else {
                map.put(key, entry.getValue());
            }
        }
        if (content != null && !map.containsKey(CONTENT)) {
            putContent(map, content, keepEmpty); // text held from earlier deltas, flushed into one without content
        }
        if (place && !map.containsKey(REASONING_CONTENT)) {
            map.put(REASONING_CONTENT, value);
        }
    }

    private static void putContent(Map<String, Object> map, String content, boolean keepEmpty) {
        if (keepEmpty || !content.isEmpty()) {
            map.put(CONTENT, content);
        }
    }

    private static boolean renamable(Object value) {
        return value == null || value instanceof String;
    }
}
