package dev.switchboard.stream;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.json.JsonTrees;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Test streams: chunks shaped like llama.cpp's, run through an observer, and what a client would read from them. */
final class Chunks {

    static final String DONE = "data: [DONE]\n\n";

    private Chunks() {
    }

    /** A chat chunk of choice {@code index} with {@code delta} (JSON) and a finish reason (null or a JSON string). */
    static String chunk(int index, String delta, String finish) {
        return "data: {\"choices\":[{\"finish_reason\":" + finish + ",\"index\":" + index + ",\"delta\":" + delta
                + "}],\"created\":1795949157,\"id\":\"chatcmpl-test\",\"model\":\"tiny\",\"object\":\"chat.completion.chunk\"}\n\n";
    }

    static String content(String text) {
        return chunk(0, new JsonObject().put("content", text).encode(), "null");
    }

    static String role() {
        return chunk(0, "{\"role\":\"assistant\",\"content\":null}", "null");
    }

    static String finish() {
        return chunk(0, "{}", "\"stop\"");
    }

    /** A stream of the given content deltas: role chunk, one chunk per piece, finish chunk, [DONE]. */
    static List<Buffer> stream(List<String> pieces) {
        List<Buffer> events = new ArrayList<>();
        events.add(Buffer.buffer(role()));
        pieces.forEach(piece -> events.add(Buffer.buffer(content(piece))));
        events.add(Buffer.buffer(finish()));
        events.add(Buffer.buffer(DONE));
        return events;
    }

    static List<Buffer> buffers(List<byte[]> events) {
        return events.stream().map(Buffer::buffer).toList();
    }

    /** What the observer makes of each event, one output per input. */
    static List<Buffer> run(StreamObserver observer, List<Buffer> events) {
        return events.stream().map(observer::onEvent).toList();
    }

    /** The whole body fed through an {@link SseFramer} in chunks of {@code size} bytes, then the observer. */
    static List<Buffer> framed(StreamObserver observer, byte[] body, int size) {
        List<Buffer> out = new ArrayList<>();
        SseFramer framer = new SseFramer(1 << 16, event -> out.add(observer.onEvent(event)));
        for (int at = 0; at < body.length; at += size) {
            framer.feed(Buffer.buffer(body).getBuffer(at, Math.min(body.length, at + size)));
        }
        framer.finish();
        return out;
    }

    /** The single events in the outputs (an output may hold several, or none). */
    static List<String> events(List<Buffer> outputs) {
        List<String> events = new ArrayList<>();
        for (Buffer output : outputs) {
            String text = output.toString(StandardCharsets.UTF_8);
            int start = 0;
            for (int end; (end = text.indexOf("\n\n", start)) >= 0; start = end + 2) {
                events.add(text.substring(start, end + 2));
            }
            if (start < text.length()) {
                events.add(text.substring(start));
            }
        }
        return events;
    }

    /** What a client reads from the events: concatenated {@code field} of choice {@code index}'s deltas. */
    static String field(List<Buffer> outputs, int index, String field) {
        StringBuilder text = new StringBuilder();
        for (String event : events(outputs)) {
            JsonObject chunk = data(event);
            if (chunk == null || chunk.getJsonArray("choices") == null) {
                continue;
            }
            for (Object item : chunk.getJsonArray("choices")) {
                JsonObject choice = (JsonObject) item;
                JsonObject delta = choice.getJsonObject("delta");
                if (choice.getInteger("index") == index && delta != null && delta.getValue(field) instanceof String s) {
                    text.append(s);
                }
            }
        }
        return text.toString();
    }

    static JsonObject data(String event) {
        if (!event.startsWith("data: {")) {
            return null;
        }
        return (JsonObject) JsonTrees.parse(event.substring(6).strip().getBytes(StandardCharsets.UTF_8));
    }

    /** The chunk without the delta of each choice: what must stay as the backend sent it. */
    static JsonObject withoutDeltas(JsonObject chunk) {
        JsonObject copy = chunk.copy();
        JsonArray choices = copy.getJsonArray("choices");
        if (choices != null) {
            choices.forEach(choice -> ((JsonObject) choice).remove("delta"));
        }
        return copy;
    }
}
