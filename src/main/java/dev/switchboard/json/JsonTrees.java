package dev.switchboard.json;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;

/**
 * JSON trees ({@code JsonObject}, {@code JsonArray}) for the few bodies Switchboard reads or writes itself: error
 * envelopes, model lists, the health answer. Built on Vert.x's Jackson-core codec, not on an ObjectMapper: loading
 * jackson-databind cost about 330 classes on the first request (start to first answer is a budget line).
 */
public final class JsonTrees {

    private static final JacksonCodec CODEC = new JacksonCodec();

    private JsonTrees() {
    }

    /** The parsed value (a {@code JsonObject}, {@code JsonArray}, string, number, boolean), or null if not JSON. */
    public static Object parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return CODEC.fromBuffer(Buffer.buffer(body));
        } catch (DecodeException e) {
            return null;
        }
    }

    public static String encode(Object tree) {
        return CODEC.toString(tree, false);
    }
}
