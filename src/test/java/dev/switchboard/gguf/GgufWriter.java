package dev.switchboard.gguf;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Builds the GGUF files the tests read: metadata of every type, string arrays of any size, tensor infos laid out as
 * ggml lays them out (F32 data, offsets aligned to 32), and raw bytes for corrupt files. Tensor data is zeros,
 * written as a sparse file, so a "4 GB model" costs no disk.
 */
final class GgufWriter {

    static final int U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, BOOL = 7, STRING = 8, ARRAY = 9,
            U64 = 10, I64 = 11, F64 = 12;
    private static final int ALIGNMENT = 32;

    private final Bytes kvs = new Bytes();
    private final Bytes infos = new Bytes();
    private String magic = "GGUF";
    private int version = 3;
    private long kvCount;
    private long tensorCount;
    private long dataSize;
    private long lastTensorOffset = -1;

    GgufWriter magic(String fourChars) {
        this.magic = fourChars;
        return this;
    }

    GgufWriter version(int version) {
        this.version = version;
        return this;
    }

    /** One key-value; {@code value} is a Number, Boolean or String matching {@code type}. */
    GgufWriter kv(String key, int type, Object value) {
        return raw(new Bytes().str(key).u32(type).value(type, value).toArray());
    }

    GgufWriter array(String key, int elementType, Object... values) {
        Bytes b = new Bytes().str(key).u32(ARRAY).u32(elementType).u64(values.length);
        for (Object v : values) {
            b.value(elementType, v);
        }
        return raw(b.toArray());
    }

    /** A string array built element by element, for the 150k-token vocabularies real models carry. */
    GgufWriter strings(String key, int n, IntFunction<String> element) {
        Bytes b = new Bytes().str(key).u32(ARRAY).u32(STRING).u64(n);
        for (int i = 0; i < n; i++) {
            b.str(element.apply(i));
        }
        return raw(b.toArray());
    }

    /** A whole key-value as raw bytes, however broken. */
    GgufWriter raw(byte[] kv) {
        kvs.out.writeBytes(kv);
        kvCount++;
        return this;
    }

    /** An F32 tensor of the given shape, its data placed after the previous tensor's at the next aligned offset. */
    GgufWriter tensor(String name, long... dims) {
        long elements = Arrays.stream(dims).reduce(1, Math::multiplyExact);
        long offset = align(dataSize);
        infos.str(name).u32(dims.length);
        Arrays.stream(dims).forEach(infos::u64);
        infos.u32(0).u64(offset); // ggml type 0 is F32
        dataSize = offset + elements * 4;
        lastTensorOffset = offset;
        tensorCount++;
        return this;
    }

    /** A whole tensor info as raw bytes, however broken. */
    GgufWriter rawTensor(byte[] info) {
        infos.out.writeBytes(info);
        tensorCount++;
        return this;
    }

    /** Overrides the counts in the header, which otherwise count what was added. */
    GgufWriter counts(long tensors, long kvs) {
        this.tensorCount = tensors;
        this.kvCount = kvs;
        return this;
    }

    byte[] header() {
        Bytes b = new Bytes();
        b.out.writeBytes(magic.getBytes(StandardCharsets.ISO_8859_1));
        b.u32(version).u64(tensorCount).u64(kvCount);
        b.out.writeBytes(kvs.toArray());
        b.out.writeBytes(infos.toArray());
        return b.toArray();
    }

    /** The whole file in memory: header, padding, tensor data. For small files. */
    byte[] bytes() {
        byte[] header = header();
        return Arrays.copyOf(header, Math.toIntExact(align(header.length) + dataSize));
    }

    /** Where the last tensor's data begins in the file: cut the file there or before, and it is truncated. */
    long lastTensorData() {
        return align(header().length) + lastTensorOffset;
    }

    Path write(Path file) throws IOException {
        byte[] header = header();
        Files.write(file, header);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(align(header.length) + dataSize); // sparse: the zeros take no disk
        }
        return file;
    }

    /**
     * Replaces {@code file}'s content in place. Tests that rewrite one file thousands of times use this: ext4 flushes
     * a file truncated to zero and written again on close (auto_da_alloc), which made {@link Files#write} 60x slower.
     */
    static Path overwrite(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            channel.write(ByteBuffer.wrap(bytes), 0);
            channel.truncate(bytes.length);
        }
        return file;
    }

    private static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
