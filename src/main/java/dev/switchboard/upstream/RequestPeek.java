package dev.switchboard.upstream;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import io.vertx.core.buffer.Buffer;

/**
 * What routing needs from a request body ({@code model}, {@code stream}), read with a token scan and no object tree:
 * the body itself is forwarded as the client sent it. The scan reads every token, so it also proves the body is one
 * well-formed JSON object; anything else is a {@link BadRequest}. The bytes are checked to be UTF-8 first
 * ({@link Utf8}): the scan skips string values without decoding them.
 */
public record RequestPeek(String model, boolean stream, int modelStart, int modelEnd, int fields) {

    /** Bits of {@link #fields}: which of the fields an endpoint requires are present (and not null). */
    public static final int MESSAGES = 1, PROMPT = 2, INPUT = 4;

    private static final JsonFactory JSON = JsonFactory.builder()
            // request bodies may legitimately hold long strings (base64 images, long prompts)
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    /** A body Switchboard refuses before it reaches the backend; the message says what is wrong. */
    public static final class BadRequest extends Exception {
        public BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    public boolean has(int field) {
        return (fields & field) != 0;
    }

    /**
     * The body with {@code model} in place of the client's: only the value's bytes change (or the field is added first
     * when the client sent none); everything else goes as the client sent it.
     */
    public Buffer withModel(Buffer body, String newModel) {
        Buffer value = Buffer.buffer(io.vertx.core.json.Json.encode(newModel));
        if (modelStart < 0 || modelEnd <= modelStart) {
            int brace = 0;
            while (body.getByte(brace) != '{') {
                brace++;
            }
            Buffer edited = body.getBuffer(0, brace + 1).appendString("\"model\":").appendBuffer(value);
            return edited.appendString(hasOtherFields(body, brace) ? "," : "").appendBuffer(body.getBuffer(brace + 1, body.length()));
        }
        return body.getBuffer(0, modelStart).appendBuffer(value).appendBuffer(body.getBuffer(modelEnd, body.length()));
    }

    private static boolean hasOtherFields(Buffer body, int brace) {
        for (int i = brace + 1; i < body.length(); i++) {
            byte b = body.getByte(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b != '}';
            }
        }
        return false;
    }

    public static RequestPeek of(Buffer body) throws BadRequest {
        if (body == null || body.length() == 0) {
            throw new BadRequest("request body is empty; expected a JSON object");
        }
        byte[] bytes = body.getBytes();
        int invalid = Utf8.firstInvalid(bytes);
        if (invalid >= 0) {
            throw new BadRequest("request body is not valid UTF-8 (byte " + invalid + ")");
        }
        String model = null;
        boolean stream = false;
        int modelStart = -1;
        int modelEnd = -1;
        int fields = 0;
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequest("request body must be a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("model".equals(field)) {
                    if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                        throw new BadRequest("'model' must be a string");
                    }
                    model = p.getValueAsString();
                    // where the value's bytes are, quotes included, so a route can replace it without re-serialising
                    modelStart = (int) p.currentTokenLocation().getByteOffset();
                    modelEnd = (int) p.currentLocation().getByteOffset();
                } else if ("stream".equals(field)) {
                    if (!value.isBoolean() && value != JsonToken.VALUE_NULL) {
                        throw new BadRequest("'stream' must be a boolean");
                    }
                    stream = value == JsonToken.VALUE_TRUE;
                } else {
                    if (value != JsonToken.VALUE_NULL) {
                        fields |= switch (field) {
                            case "messages" -> MESSAGES;
                            case "prompt" -> PROMPT;
                            case "input", "content" -> INPUT; // llama.cpp also takes "content"
                            default -> 0;
                        };
                    }
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new BadRequest("request body must be a single JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadRequest("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest("request body could not be read: " + e.getMessage());
        }
        return new RequestPeek(model, stream, modelStart, modelEnd, fields);
    }
}
