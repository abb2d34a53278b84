package dev.switchboard.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian reads over a file through one small buffer, with positional reads so a skip past a large array is
 * a change of offset, not a read. Every length is checked against the file size before it is used: a corrupt
 * length fails here with its offset instead of allocating, seeking past the end, or looping.
 */
final class GgufInput {

    /** The longest string we keep (keys, architecture, name); anything longer is skipped, never buffered. */
    static final int MAX_KEPT_STRING = 64 * 1024;

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_KEPT_STRING).order(ByteOrder.LITTLE_ENDIAN);
    /** File offset of {@code buffer[0]}; the read position is {@code bufferStart + buffer.position()}. */
    private long bufferStart;
    /** What is being read, for error messages: "header", "key-value #3 (tokenizer.ggml.tokens)", ... */
    String section = "header";

    GgufInput(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        buffer.limit(0);
    }

    long size() {
        return size;
    }

    long offset() {
        return bufferStart + buffer.position();
    }

    long remaining() {
        return size - offset();
    }

    GgufFormatException error(String problem, long at) {
        return new GgufFormatException(section + ": " + problem, at);
    }

    byte i8() throws IOException {
        need(1);
        return buffer.get();
    }

    short i16() throws IOException {
        need(2);
        return buffer.getShort();
    }

    int i32() throws IOException {
        need(4);
        return buffer.getInt();
    }

    long i64() throws IOException {
        need(8);
        return buffer.getLong();
    }

    /** A string or array length: a uint64 that must fit, at {@code minBytes} per item, in what is left of the file. */
    long length(String what, long minBytes) throws IOException {
        long at = offset();
        long n = i64();
        if (n < 0 || n > remaining() / minBytes) { // n < 0: a uint64 above Long.MAX_VALUE
            throw error(what + " " + Long.toUnsignedString(n) + " runs past the end of the file ("
                    + remaining() + " bytes left): truncated or corrupt", at);
        }
        return n;
    }

    /** A string we keep (a key or a short value); longer than {@link #MAX_KEPT_STRING} is not a real GGUF file. */
    String string() throws IOException {
        long at = offset();
        long n = length("string length", 1);
        if (n > MAX_KEPT_STRING) {
            throw error("string of " + n + " bytes where a short one is expected (at most " + MAX_KEPT_STRING
                    + ")", at);
        }
        need((int) n);
        String s = new String(buffer.array(), buffer.position(), (int) n, StandardCharsets.UTF_8);
        buffer.position(buffer.position() + (int) n);
        return s;
    }

    /** Skips a string; returns its length. */
    long skipString() throws IOException {
        long n = length("string length", 1);
        skip(n);
        return n;
    }

    /** Moves {@code n} bytes on, if the file has them: past the buffer, only the offset changes. */
    void skip(long n) throws IOException {
        if (n < 0 || n > remaining()) {
            throw error("truncated: the file ends at byte " + size + ", " + n + " bytes to skip here", offset());
        }
        if (n <= buffer.remaining()) {
            buffer.position(buffer.position() + (int) n);
        } else {
            bufferStart = offset() + n;
            buffer.position(0).limit(0);
        }
    }

    /** Makes {@code n} bytes (at most the buffer's capacity) readable, or reports where the file ends. */
    private void need(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return;
        }
        if (remaining() < n) {
            throw error("truncated: the file ends at byte " + size + ", " + n + " bytes needed here", offset());
        }
        bufferStart = offset();
        buffer.compact();
        while (buffer.position() < n) {
            if (channel.read(buffer, bufferStart + buffer.position()) < 0) { // the file shrank while we read it
                buffer.flip();
                throw error("truncated: the file shrank while being read", offset());
            }
        }
        buffer.flip();
    }
}
