package dev.switchboard.gguf;

import static dev.switchboard.gguf.GgufWriter.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a header can be wrong is refused with a message saying what, at the offset where it is. */
class GgufCorruptTest {

    private static final long FIRST_KV = 24; // magic, version, tensor count, key-value count

    @TempDir
    Path dir;

    private static GgufWriter llama() {
        return new GgufWriter().kv("general.architecture", STRING, "llama");
    }

    private static byte[] kv(String key, int type) {
        return new Bytes().str(key).u32(type).toArray();
    }

    @Test
    void badMagic() {
        GgufFormatException e = refused(llama().magic("GGUX"), "not a GGUF file: it starts with 0x47475558");
        assertEquals(0, e.offset());
    }

    @Test
    void versionsOtherThan2And3() {
        for (int version : new int[] {0, 1, 4, 99}) {
            assertEquals(4, refused(llama().version(version), "unsupported GGUF version " + version + " ").offset());
        }
        refused(llama().version(0x03000000), "(a big-endian file)");
    }

    @Test
    void stringLengthsPastTheEndOfTheFile() {
        for (long length : new long[] {1L << 62, -1L, 1000}) {
            String said = "string length " + Long.toUnsignedString(length) + " runs past the end";
            GgufWriter key = new GgufWriter().raw(new Bytes().u64(length).u64(0).u64(0).toArray()); // 16 bytes after
            assertEquals(FIRST_KV, refused(key, said).offset());
            GgufWriter value = new GgufWriter().raw(new Bytes().str("general.name").u32(STRING).u64(length).toArray());
            assertEquals(FIRST_KV + 8 + 12 + 4, refused(value, said).offset());
            refused(llama().raw(new Bytes().str("tokenizer.chat_template").u32(STRING).u64(length).toArray()), said);
            refused(llama().raw(new Bytes().str("tokens").u32(ARRAY).u32(STRING).u64(2).str("a").u64(length)
                    .toArray()), said);
        }
        refused(llama().kv("k".repeat(70_000), U8, 1), "string of 70000 bytes where a short one is expected");
    }

    @Test
    void arrayLengthsPastTheEndOfTheFile() {
        for (long n : new long[] {-1L, 1L << 40, 1L << 61, 100}) {
            for (int type : new int[] {U8, I32, U64, STRING}) {
                byte[] array = new Bytes().str("a").u32(ARRAY).u32(type).u64(n).u64(0).toArray();
                refused(llama().raw(array), "array length " + Long.toUnsignedString(n) + " runs past the end");
            }
        }
    }

    @Test
    void unknownValueTypes() {
        assertEquals(FIRST_KV + 8 + 1, refused(new GgufWriter().raw(kv("k", 13)), "unknown value type 13").offset());
        refused(llama().raw(kv("k", -1)), "unknown value type 4294967295");
        refused(llama().raw(new Bytes().str("a").u32(ARRAY).u32(13).u64(0).toArray()), "unknown value type 13");
        refused(llama().raw(new Bytes().str("a").u32(ARRAY).u32(ARRAY).u64(0).toArray()), "array of arrays");
    }

    @Test
    void countsTheFileCannotHold() {
        refused(llama().counts(1L << 40, 1), "tensor count 1099511627776 runs past the end");
        refused(llama().counts(0, -1), "key-value count 18446744073709551615 runs past the end");
        refused(llama().counts(0, 1000), "key-value count 1000 runs past the end");
    }

    @Test
    void tensorInfosThatCannotBeRight() {
        byte[] fiveDims = new Bytes().str("t").u32(5).u64(1).u64(1).u64(1).u64(1).u64(1).u32(0).u64(0).toArray();
        refused(llama().rawTensor(fiveDims), "tensor info #0: 5 dimensions, ggml allows at most 4");
        byte[] negative = new Bytes().str("t").u32(2).u64(4).u64(-1).u32(0).u64(0).toArray();
        refused(llama().rawTensor(negative), "dimension 18446744073709551615 overflows");
        byte[] overflow = new Bytes().str("t").u32(2).u64(1L << 32).u64(1L << 32).u32(0).u64(0).toArray();
        refused(llama().rawTensor(overflow), "dimension 4294967296 overflows the element count");
        byte[] unaligned = new Bytes().str("t").u32(1).u64(4).u32(0).u64(3).toArray();
        refused(llama().rawTensor(unaligned), "data offset 3 is not a multiple of 32");
    }

    @Test
    void tensorDataCutShort() throws Exception {
        GgufWriter w = llama().tensor("a", 1000).tensor("b", 1000, 1000);
        Path file = Files.write(dir.resolve("cut.gguf"), w.header()); // a download that stopped after the header
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufReader.read(file));
        assertTrue(e.getMessage().contains("truncated: the tensor described here has its data at byte "
                + w.lastTensorData()), e.getMessage());
    }

    @Test
    void requiredKeysAndTheirTypes() {
        refused(new GgufWriter().tensor("t", 2), "no general.architecture key");
        refused(new GgufWriter().kv("general.architecture", STRING, ""), "no general.architecture key");
        refused(new GgufWriter().kv("general.architecture", U32, 1), "a uint32 value where a string is expected");
        refused(llama().kv("tokenizer.chat_template", BOOL, true), "a bool value where a string is expected");
        refused(llama().kv("general.parameter_count", F64, 1e9), "a float64 value where an integer is expected");
        refused(llama().kv("general.parameter_count", U64, -1L), "value 18446744073709551615 is out of range");
        refused(llama().kv("llama.context_length", I32, -5), "value -5 is out of range");
        refused(llama().kv("general.alignment", U32, 48), "alignment 48 is not a power of two");
        refused(llama().kv("general.alignment", U32, 0), "alignment 0 is not a power of two");
    }

    private GgufFormatException refused(GgufWriter writer, String expected) {
        GgufFormatException e = assertThrows(GgufFormatException.class,
                () -> GgufReader.read(writer.write(dir.resolve("bad.gguf"))), expected);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        return e;
    }
}
