package dev.switchboard.stream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;

import io.vertx.core.buffer.Buffer;

/**
 * Reads JSON straight out of a {@link Buffer} with Jackson core and edits it by splicing bytes, so that whatever is
 * not edited stays exactly as it was sent (whitespace, number spelling, field order): re-serialising a tree would
 * change all of those.
 */
final class JsonBytes {

    private static final JsonFactory JSON = JsonFactory.builder()
            // request bodies may legitimately hold long strings (base64 images, long prompts)
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private JsonBytes() {
    }

    /**
     * A parser over {@code data} from byte {@code from} on. It pulls the bytes in small blocks as it goes, so reading
     * one small object near the start of a large body copies little. Token byte offsets are relative to {@code from}.
     */
    static JsonParser parser(Buffer data, int from) throws IOException {
        return JSON.createParser(new Input(data, from));
    }

    /** Byte offset of the parser's current token within the parsed range; -1 if the parser cannot tell. */
    static int offset(JsonParser p) {
        return (int) p.currentTokenLocation().getByteOffset();
    }

    /** A new buffer: {@code data} with the bytes {@code [from, to)} replaced by {@code text}. */
    static Buffer splice(Buffer data, int from, int to, String text) {
        byte[] inserted = text.getBytes(StandardCharsets.UTF_8);
        int length = data.length();
        return Buffer.buffer(length - (to - from) + inserted.length)
                .appendBuffer(data, 0, from)
                .appendBytes(inserted)
                .appendBuffer(data, to, length - to);
    }

    /** JSON's insignificant whitespace. */
    static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** The first non-whitespace position at or after {@code i}; {@code data.length()} if none. */
    static int skipSpace(Buffer data, int i) {
        int length = data.length();
        while (i < length && isSpace(data.getByte(i))) {
            i++;
        }
        return i;
    }

    /** Reads a buffer without copying it whole first. */
    private static final class Input extends InputStream {
        private final Buffer data;
        private int pos;

        Input(Buffer data, int from) {
            this.data = data;
            this.pos = from;
        }

        @Override
        public int read() {
            return pos < data.length() ? data.getByte(pos++) & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int off, int len) {
            int n = Math.min(len, data.length() - pos);
            if (n <= 0) {
                return len == 0 ? 0 : -1;
            }
            data.getBytes(pos, pos + n, into, off);
            pos += n;
            return n;
        }
    }
}
