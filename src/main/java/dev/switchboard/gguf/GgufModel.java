package dev.switchboard.gguf;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A model file described by its GGUF header alone; nothing here needs the tensor data.
 *
 * @param id              the name clients ask for: the file name without {@code .gguf} ({@link ModelsDir} uses a
 *                        folder's name for a model kept in its own folder, as llama.cpp's router does)
 * @param path            the GGUF file (for a split model, its first part)
 * @param fileSize        bytes on disk (for a split model, all parts together)
 * @param architecture    {@code general.architecture}, e.g. {@code llama}, {@code qwen3}
 * @param contextLength   {@code <architecture>.context_length}, the context the model was trained for; {@code -1}
 *                        when the file does not say
 * @param parameterCount  {@code general.parameter_count} when present, else the sum over tensors of their element
 *                        counts
 * @param hasChatTemplate {@code tokenizer.chat_template} is present and not empty
 * @param name            {@code general.name}, a display name, when present
 */
public record GgufModel(String id, Path path, long fileSize, String architecture, long contextLength,
        long parameterCount, boolean hasChatTemplate, Optional<String> name) {

    public GgufModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(name, "name");
    }
}
