package dev.switchboard.gguf;

import static dev.switchboard.gguf.GgufWriter.STRING;
import static dev.switchboard.gguf.GgufWriter.U32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsDirTest {

    @TempDir
    Path dir;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) { // printf-style under JBoss LogManager
                warnings.add(r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("switchboard.models").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("switchboard.models").removeHandler(capture);
    }

    private static Path model(Path file, String architecture, long... dims) throws IOException {
        Files.createDirectories(file.getParent());
        return new GgufWriter().kv("general.architecture", STRING, architecture).tensor("t", dims).write(file);
    }

    @Test
    void listsTheGoodModelsSortedAndWarnsAboutTheRest() throws Exception {
        model(dir.resolve("zeta.gguf"), "llama", 10);
        model(dir.resolve("alpha.gguf"), "qwen3", 20);
        Files.write(dir.resolve("broken.gguf"), "not a model at all".getBytes());
        byte[] whole = new GgufWriter().kv("general.architecture", STRING, "llama").kv("llama.context_length", U32, 8)
                .tensor("t", 64).bytes();
        Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(whole, 40));
        Files.createFile(dir.resolve("empty.gguf"));
        Files.writeString(dir.resolve("notes.txt"), "not a gguf");
        model(dir.resolve("alpha.gguf.part"), "llama", 1); // an unfinished download: not *.gguf
        // a model in its own folder, named after the folder, beside its projector (never listed on its own)
        model(dir.resolve("gemma-3-4b/gemma-3-4b-it-Q4_K_M.gguf"), "gemma3", 30);
        model(dir.resolve("gemma-3-4b/mmproj-F16.gguf"), "clip", 5);
        model(dir.resolve("deep/er/hidden.gguf"), "llama", 1); // two levels down: not looked at
        // split models, at the top and in a folder: listed once, with every part's bytes and tensors
        Path big1 = split(dir.resolve("big-00001-of-00002.gguf"), "llama", 100);
        Path big2 = split(dir.resolve("big-00002-of-00002.gguf"), null, 7);
        split(dir.resolve("qwen-split/Qwen3-00001-of-00002.gguf"), "qwen3", 1000);
        split(dir.resolve("qwen-split/Qwen3-00002-of-00002.gguf"), null, 1);

        List<GgufModel> models = ModelsDir.scan(dir);

        assertEquals(List.of("alpha", "big-00001-of-00002", "gemma-3-4b", "qwen-split", "zeta"),
                models.stream().map(GgufModel::id).toList());
        GgufModel big = models.get(1);
        assertEquals(big1, big.path());
        assertEquals(107, big.parameterCount());
        assertEquals(Files.size(big1) + Files.size(big2), big.fileSize());
        assertEquals(dir.resolve("gemma-3-4b/gemma-3-4b-it-Q4_K_M.gguf"), models.get(2).path());
        assertEquals("gemma3", models.get(2).architecture());
        assertEquals(1001, models.get(3).parameterCount());
        assertWarned("broken.gguf", "not a GGUF file");
        assertWarned("cut.gguf", "truncated");
        assertWarned("empty.gguf", "truncated");
        assertEquals(3, warnings.size(), warnings.toString());
    }

    /** One part of a two-part model as gguf-split writes it: general.* keys in part 1 only, split.count in all. */
    private static Path split(Path file, String architecture, long elements) throws IOException {
        Files.createDirectories(file.getParent());
        GgufWriter w = new GgufWriter();
        if (architecture != null) {
            w.kv("general.architecture", STRING, architecture);
        }
        return w.kv("split.count", U32, 2).tensor("t", elements).write(file);
    }

    @Test
    void aSplitModelWithAPartMissingOrBrokenIsLeftOut() throws Exception {
        new GgufWriter().kv("general.architecture", STRING, "llama").kv("split.count", U32, 3).tensor("t", 4)
                .write(dir.resolve("half-00001-of-00003.gguf"));
        new GgufWriter().kv("split.count", U32, 3).tensor("u", 4).write(dir.resolve("half-00002-of-00003.gguf"));
        model(dir.resolve("lonely-00002-of-00002.gguf"), "llama", 4);
        model(dir.resolve("fine.gguf"), "llama", 4);

        assertEquals(List.of("fine"), ModelsDir.scan(dir).stream().map(GgufModel::id).toList());
        assertWarned("half-00001-of-00003.gguf", "half-00003-of-00003.gguf: java.nio.file.NoSuchFileException");
        assertWarned("lonely-00002-of-00002.gguf", "first part lonely-00001-of-00002.gguf is missing");
    }

    @Test
    void aFolderAndAFileWithTheSameIdAreListedOnce() throws Exception {
        model(dir.resolve("dup.gguf"), "llama", 1);
        model(dir.resolve("dup/model.gguf"), "qwen3", 1);

        List<GgufModel> models = ModelsDir.scan(dir);

        assertEquals(1, models.size());
        assertEquals("qwen3", models.get(0).architecture()); // entries go by name: "dup" before "dup.gguf"
        assertWarned("dup.gguf", "model id dup is already taken by " + dir.resolve("dup/model.gguf"));
    }

    @Test
    void aMissingFolderIsEmptyWithAWarning() throws Exception {
        assertEquals(List.of(), ModelsDir.scan(dir.resolve("nowhere")));
        assertWarned("nowhere", "does not exist");
        Path file = model(dir.resolve("file.gguf"), "llama", 1);
        assertEquals(List.of(), ModelsDir.scan(file)); // a file is not a folder
    }

    private void assertWarned(String file, String reason) {
        assertTrue(warnings.stream().anyMatch(w -> w.contains(file) && w.contains(reason)),
                "no warning naming " + file + " and " + reason + " in " + warnings);
    }
}
