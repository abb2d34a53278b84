package dev.switchboard.gguf;

import static dev.switchboard.gguf.GgufValues.integer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads what a model listing needs from a GGUF file's header (format: ggml's docs/gguf.md) and nothing past it:
 * large arrays are skipped by their lengths, tensor infos are read, tensor data never is, so a multi-GB file costs
 * a few hundred KB of reads. Anything malformed is a {@link GgufFormatException} naming the problem and its offset.
 * The checks follow ggml's own reader, so a file llama.cpp would refuse to load is refused here rather than listed.
 */
public final class GgufReader {

    private static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian uint32
    private static final int MAX_DIMS = 4; // GGML_MAX_DIMS
    private static final long MAX_ALIGNMENT = 1 << 20; // ggml's bound: more would pad tensors absurdly
    private static final String CONTEXT_LENGTH = ".context_length";

    private GgufReader() {
    }

    /** Reads {@code file}'s header; the model's id is the file name without {@code .gguf}. */
    public static GgufModel read(Path file) throws GgufFormatException, IOException {
        return header(file).toModel(idOf(file), file);
    }

    static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".gguf") ? name.substring(0, name.length() - ".gguf".length()) : name;
    }

    static GgufHeader header(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return parse(new GgufInput(channel));
        }
    }

    private static GgufHeader parse(GgufInput in) throws IOException {
        int magic = in.i32();
        if (magic != MAGIC) {
            throw in.error(String.format("not a GGUF file: it starts with 0x%08x, not \"GGUF\"",
                    Integer.reverseBytes(magic)), 0);
        }
        int version = in.i32();
        if (version != 2 && version != 3) { // v1 had 32-bit lengths and counts; ggml no longer reads it either
            int swapped = Integer.reverseBytes(version);
            throw in.error("unsupported GGUF version " + Integer.toUnsignedString(version)
                    + (swapped == 2 || swapped == 3 ? " (a big-endian file)" : " (2 and 3 are supported)"), 4);
        }
        // A tensor info is at least 24 bytes, a key-value 13: a count the file cannot hold is refused, not looped on
        long tensorCount = in.length("tensor count", 24);
        long kvCount = in.length("key-value count", 13);

        String architecture = null;
        String name = null;
        long declared = -1;
        long split = -1;
        long alignment = 32;
        boolean template = false;
        Map<String, Long> contexts = new HashMap<>(); // "<arch>.context_length" may come before general.architecture
        for (long i = 0; i < kvCount; i++) {
            in.section = "key-value #" + i;
            String key = in.string();
            in.section = "key-value #" + i + " (" + printable(key) + ")";
            long at = in.offset();
            int type = GgufValues.type(in);
            switch (key) {
                case "general.architecture" -> architecture = GgufValues.string(in, type, at);
                case "general.name" -> name = GgufValues.string(in, type, at);
                case "general.parameter_count" -> declared = integer(in, type, at);
                case "split.count" -> split = integer(in, type, at);
                case "tokenizer.chat_template" -> template = GgufValues.stringLength(in, type, at) > 0;
                case "general.alignment" -> {
                    alignment = integer(in, type, at);
                    if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > MAX_ALIGNMENT) {
                        throw in.error("alignment " + alignment + " is not a power of two up to " + MAX_ALIGNMENT, at);
                    }
                }
                default -> {
                    if (key.endsWith(CONTEXT_LENGTH) && GgufValues.isInteger(type)) {
                        contexts.put(key.substring(0, key.length() - CONTEXT_LENGTH.length()), integer(in, type, at));
                    } else {
                        GgufValues.skip(in, type);
                    }
                }
            }
        }

        long parameters = 0;
        long lastData = -1;
        long lastInfo = -1;
        for (long i = 0; i < tensorCount; i++) {
            in.section = "tensor info #" + i;
            long info = in.offset();
            in.skipString(); // the tensor's name
            long at = in.offset();
            int dims = in.i32();
            if (dims < 0 || dims > MAX_DIMS) {
                throw in.error(Integer.toUnsignedString(dims) + " dimensions, ggml allows at most " + MAX_DIMS, at);
            }
            long elements = 1;
            for (int d = 0; d < dims; d++) {
                at = in.offset();
                long dim = in.i64();
                if (dim < 0 || (dim > 0 && elements > Long.MAX_VALUE / dim)) {
                    throw in.error("dimension " + Long.toUnsignedString(dim) + " overflows the element count", at);
                }
                elements *= dim;
            }
            in.i32(); // the ggml type: not checked, ggml keeps adding types and we never read the data
            at = in.offset();
            long offset = in.i64();
            if (offset < 0 || offset % alignment != 0) {
                throw in.error("data offset " + Long.toUnsignedString(offset) + " is not a multiple of "
                        + alignment, at);
            }
            if (elements > Long.MAX_VALUE - parameters) {
                throw in.error("the total parameter count overflows", info);
            }
            parameters += elements;
            if (elements > 0 && offset >= lastData) {
                lastData = offset;
                lastInfo = info;
            }
        }
        long end = in.offset();
        // The usual broken file is a download cut short: the last tensor's data must at least begin inside the
        // file. Checking where it ends would need the byte size of every ggml type, a table that keeps growing.
        long dataStart = (end + alignment - 1) / alignment * alignment;
        if (lastData >= 0 && lastData >= in.size() - dataStart) {
            in.section = "tensor data";
            throw in.error("truncated: the tensor described here has its data at byte " + (dataStart + lastData)
                    + " but the file has " + in.size() + " bytes", lastInfo);
        }
        long context = architecture == null ? -1 : contexts.getOrDefault(architecture, -1L);
        return new GgufHeader(in.size(), architecture, context, declared, parameters, template, name, split, end);
    }

    /** A key as it goes into a message and a log line: a corrupt one can be 64 KB of control characters. */
    private static String printable(String key) {
        String shown = key.replaceAll("\\p{Cntrl}", "?");
        return shown.length() <= 80 ? shown : shown.substring(0, 80) + "...";
    }
}
