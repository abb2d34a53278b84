package dev.switchboard.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * Finds the models in a folder as llama.cpp's router does for {@code --models-dir} ({@code load_from_models_dir} in
 * llama.cpp's common/preset.cpp), so both list the same ids: each {@code *.gguf} file at the top is a model named
 * after the file; each subfolder is one model named after the folder, holding its GGUF file (or the first part of
 * a split one) beside an optional {@code mmproj} projector. Deeper folders are not looked at.
 *
 * <p>A split model ({@code name-00001-of-00003.gguf}) is listed once, from its first part, with the size and tensor
 * count of all its parts. A file that cannot be read is left out with a warning; a scan never fails.
 */
public final class ModelsDir {

    private static final Logger LOG = Logger.getLogger("switchboard.models");
    /** gguf-split's part names, {@code <prefix>-00001-of-00003.gguf}: part 1 is the one llama.cpp is given. */
    private static final Pattern PART = Pattern.compile("(.+)-(\\d{5})-of-(\\d{5})\\.gguf");

    private ModelsDir() {
    }

    /** The models in {@code dir}, sorted by id; empty, with a warning, when the folder is missing or unreadable. */
    public static List<GgufModel> scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.warnf("Models folder %s does not exist or is not a folder: no local models", dir);
            return List.of();
        }
        Map<String, GgufModel> models = new TreeMap<>();
        for (Path entry : list(dir)) {
            String fileName = entry.getFileName().toString();
            GgufModel model;
            if (Files.isDirectory(entry)) {
                Path file = modelIn(entry);
                model = file == null ? null : load(fileName, file);
            } else if (fileName.endsWith(".gguf") && !laterPart(entry)) {
                model = load(GgufReader.idOf(entry), entry);
            } else {
                continue;
            }
            GgufModel before = model == null ? null : models.putIfAbsent(model.id(), model);
            if (before != null) {
                LOG.warnf("Skipping %s: model id %s is already taken by %s", model.path(), model.id(), before.path());
            }
        }
        return List.copyOf(models.values());
    }

    /** The model file of a model's own folder: part 1 of a split model, else its one GGUF that is not a projector. */
    private static Path modelIn(Path folder) {
        List<Path> candidates = new ArrayList<>();
        for (Path file : list(folder)) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".gguf") || name.contains("mmproj")) { // llama.cpp's test for a projector
                continue;
            }
            Matcher part = PART.matcher(name);
            if (!part.matches()) {
                candidates.add(file);
            } else if (part.group(2).equals("00001")) {
                return file;
            }
        }
        if (candidates.size() > 1) { // llama.cpp takes one of them too, without saying which
            LOG.warnf("Folder %s holds %d model files; using %s", folder, candidates.size(), candidates.get(0));
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    /** Parts 2..n are read with part 1; one whose part 1 is missing is worth a warning, since nothing lists it. */
    private static boolean laterPart(Path file) {
        Matcher part = PART.matcher(file.getFileName().toString());
        if (!part.matches() || part.group(2).equals("00001")) {
            return false;
        }
        Path first = file.resolveSibling(part.group(1) + "-00001-of-" + part.group(3) + ".gguf");
        if (!Files.exists(first)) {
            LOG.warnf("Skipping %s: part of a split model whose first part %s is missing", file, first.getFileName());
        }
        return true;
    }

    private static GgufModel load(String id, Path file) {
        try {
            if (!Files.isRegularFile(file)) { // a FIFO would block the open; a dangling link has nothing to read
                LOG.warnf("Skipping %s: not a regular file", file);
                return null;
            }
            GgufHeader header = GgufReader.header(file);
            header = header.splitCount() > 1 ? withParts(file, header) : header;
            return header == null ? null : header.toModel(id, file);
        } catch (IOException e) {
            LOG.warnf("Skipping %s: %s", file, reason(e));
        } catch (RuntimeException e) { // a bug, not a bad file: log it whole, and still list the other models
            LOG.warnf(e, "Skipping %s: %s", file, e);
        }
        return null;
    }

    /**
     * Part 1 with the bytes and tensors of parts 2..n added, as llama.cpp loads them: they are named after part 1
     * and {@code split.count}, and hold no {@code general.*} keys. Null, with a warning, when a part is unusable.
     */
    private static GgufHeader withParts(Path file, GgufHeader first) {
        long n = first.splitCount();
        Matcher name = PART.matcher(file.getFileName().toString());
        if (!name.matches() || !name.group(2).equals("00001") || Long.parseLong(name.group(3)) != n) {
            LOG.warnf("Skipping %s: split.count is %d but the name does not end in -00001-of-%05d.gguf", file, n, n);
            return null;
        }
        GgufHeader all = first;
        for (long k = 2; k <= n; k++) {
            Path part = file.resolveSibling(String.format("%s-%05d-of-%05d.gguf", name.group(1), k, n));
            try {
                all = all.plus(GgufReader.header(part));
            } catch (IOException e) {
                LOG.warnf("Skipping %s: its part %s: %s", file, part.getFileName(), reason(e));
                return null;
            }
        }
        return all;
    }

    /** A format problem's message says it all; for an I/O error the exception's class says what happened. */
    private static String reason(IOException e) {
        return e instanceof GgufFormatException ? e.getMessage() : e.toString();
    }

    /** The folder's entries sorted by name, so a scan's warnings and choices are the same each time. */
    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Cannot list models folder %s: %s", dir, e.toString());
            return List.of();
        }
    }
}
