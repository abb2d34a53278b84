package dev.switchboard.gguf;

import static dev.switchboard.gguf.GgufWriter.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsTheHeaderFields() throws Exception {
        Path file = new GgufWriter()
                .kv("general.architecture", STRING, "llama")
                .kv("general.name", STRING, "Tiny Llama")
                .kv("general.parameter_count", U64, 7_241_732_096L) // declared: wins over the tensors' 24
                .kv("llama.context_length", U32, 32768)
                .kv("tokenizer.chat_template", STRING, "{% for m in messages %}{{ m.content }}{% endfor %}")
                .tensor("token_embd.weight", 4, 6)
                .write(dir.resolve("tiny-llama-Q4_K_M.gguf"));

        GgufModel model = GgufReader.read(file);

        assertEquals(new GgufModel("tiny-llama-Q4_K_M", file, Files.size(file), "llama", 32768, 7_241_732_096L, true,
                Optional.of("Tiny Llama")), model);
    }

    @Test
    void countsParametersFromTheTensorInfosWhenTheFileDoesNotSay() throws Exception {
        Path file = new GgufWriter()
                .kv("general.architecture", STRING, "qwen3")
                .tensor("token_embd.weight", 1024, 151936)
                .tensor("output_norm.weight", 1024)
                .tensor("blk.0.attn_q.weight", 2, 3, 4, 5)
                .tensor("empty", 0, 7)
                .write(dir.resolve("q.gguf"));

        GgufModel model = GgufReader.read(file);

        assertEquals(1024L * 151936 + 1024 + 120, model.parameterCount());
        assertEquals(-1, model.contextLength());
        assertFalse(model.hasChatTemplate());
        assertEquals(Optional.empty(), model.name());
    }

    @Test
    void contextLengthIsTheArchitecturesWhereverItComes() throws Exception {
        Path file = new GgufWriter()
                .kv("llama.context_length", U32, 2048) // another architecture's key: not this model's
                .kv("qwen3.context_length", U64, 40960L) // before general.architecture, and a uint64
                .kv("general.architecture", STRING, "qwen3")
                .kv("tokenizer.chat_template", STRING, "") // present but empty: no template
                .write(dir.resolve("q.gguf"));

        GgufModel model = GgufReader.read(file);

        assertEquals(40960, model.contextLength());
        assertFalse(model.hasChatTemplate());
    }

    @Test
    void skipsValuesOfEveryTypeInVersion2And3() throws Exception {
        for (int version : new int[] {2, 3}) {
            GgufWriter w = new GgufWriter().version(version);
            Object[] values = {200, -100, 60000, -30000, 4_000_000_000L, -2_000_000_000, 1.5f, true, "text", null,
                Long.MAX_VALUE, -5L, 2.25};
            for (int type = 0; type <= 12; type++) {
                if (type != ARRAY) {
                    w.kv("k" + type, type, values[type]).array("a" + type, type, values[type], values[type]);
                }
            }
            // last, so a wrong size for any type above would have misread it
            Path file = w.kv("general.architecture", STRING, "gemma3").tensor("t", 3).write(dir.resolve("v.gguf"));

            GgufModel model = GgufReader.read(file);

            assertEquals("gemma3", model.architecture(), "version " + version);
            assertEquals(3, model.parameterCount(), "version " + version);
        }
    }

    @Test
    void skipsHugeArraysWithoutHoldingThemAndNeverReadsTensorData() throws Exception {
        String pad = "x".repeat(60);
        int n = 150_000;
        Path file = new GgufWriter()
                .kv("general.architecture", STRING, "llama")
                .strings("tokenizer.ggml.tokens", n, i -> "token" + i + pad)
                .strings("tokenizer.ggml.merges", n, i -> "m" + i + " e" + i + pad)
                .array("tokenizer.ggml.token_type", I32, fill(n, 1))
                .kv("tokenizer.chat_template", STRING, "{{ x }}")
                .tensor("token_embd.weight", 32000, 4096, 9) // 4.7 GB of F32 data, sparse on disk
                .write(dir.resolve("big.gguf"));
        assertTrue(Files.size(file) > 4L << 30);
        GgufReader.read(file); // warm up: class loading and JIT are not the reader's allocations

        long allocated = allocatedBytes();
        GgufModel model = assertTimeout(Duration.ofSeconds(10), () -> GgufReader.read(file)); // same thread: counted
        allocated = allocatedBytes() - allocated;

        assertEquals(Files.size(file), model.fileSize());
        assertEquals(32000L * 4096 * 9, model.parameterCount());
        assertTrue(model.hasChatTemplate());
        // the arrays hold ~20 MB of strings; reading them would allocate at least that
        assertTrue(allocated < 2_000_000, "allocated " + allocated + " bytes");
    }

    private static Object[] fill(int n, Object value) {
        Object[] a = new Object[n];
        Arrays.fill(a, value);
        return a;
    }

    private static long allocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) {
            assumeTrue(false, "this JVM does not count allocated bytes per thread");
            return 0;
        }
        return mx.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
