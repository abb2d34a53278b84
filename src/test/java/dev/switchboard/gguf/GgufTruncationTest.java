package dev.switchboard.gguf;

import static dev.switchboard.gguf.GgufWriter.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cut or damaged file is a GgufFormatException, whatever the damage: never another exception, never a hang. */
class GgufTruncationTest {

    @TempDir
    Path dir;

    /** A small file with a value of every type, arrays of numbers and strings, and two tensors. */
    private static GgufWriter everything() {
        GgufWriter w = new GgufWriter()
                .kv("general.architecture", STRING, "llama")
                .kv("general.name", STRING, "Everything")
                .kv("llama.context_length", U32, 4096)
                .kv("tokenizer.chat_template", STRING, "{{ messages }}")
                .strings("tokenizer.ggml.tokens", 5, i -> "tok" + i)
                .array("tokenizer.ggml.scores", F32, 0.5f, -1.5f)
                .array("tokenizer.ggml.token_type", I32, 1, 2, 3);
        Object[] values = {7, -7, 700, -700, 70_000L, -70_000, 0.25f, false, "s", null, 1L << 40, -(1L << 40), 0.5};
        for (int type = 0; type <= 12; type++) {
            if (type != ARRAY) {
                w.kv("x.k" + type, type, values[type]);
            }
        }
        return w.tensor("token_embd.weight", 8, 5).tensor("output.weight", 8);
    }

    @Test
    void aFileCutAtAnyByteOfItsHeaderOrBeforeItsLastTensorIsAFormatError() throws Exception {
        GgufWriter w = everything();
        byte[] whole = w.bytes();
        assertEquals(48, read(whole).parameterCount()); // the uncut file is fine
        int lastCut = Math.toIntExact(w.lastTensorData());
        assertTrue(lastCut > w.header().length);

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int length = 0; length <= lastCut; length++) {
                int n = length;
                GgufFormatException e = assertThrows(GgufFormatException.class, () -> read(Arrays.copyOf(whole, n)),
                        "cut to " + n + " bytes");
                assertTrue(e.offset() <= n, "cut to " + n + " bytes, blamed offset " + e.offset());
                assertTrue(e.getMessage().contains("truncated"), "cut to " + n + " bytes: " + e.getMessage());
            }
        });
    }

    @Test
    void randomDamageToTheHeaderIsAFormatErrorOrAReadableFile() throws Exception {
        GgufWriter w = everything();
        byte[] whole = w.bytes();
        int header = w.header().length;
        Random random = new Random(20240229); // fixed, so a failure can be replayed
        int refused = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            int count = 0;
            for (int i = 0; i < 3000; i++) {
                byte[] damaged = whole.clone();
                for (int k = random.nextInt(3); k >= 0; k--) {
                    damaged[random.nextInt(header)] = (byte) random.nextInt(256);
                }
                try {
                    read(damaged); // any exception but this one's fails the test
                } catch (GgufFormatException expected) {
                    count++;
                }
            }
            return count;
        });
        assertTrue(refused > 300, refused + " of 3000 damaged files refused");
    }

    private GgufModel read(byte[] bytes) throws IOException {
        return GgufReader.read(GgufWriter.overwrite(dir.resolve("cut.gguf"), bytes));
    }
}
