package dev.switchboard.gguf;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What one file's header says, before it is a model: parts 2..n of a split model carry no {@code general.*} keys
 * (gguf-split writes them into part 1 only), so they are read as headers and summed into part 1's model.
 *
 * @param declaredParameters {@code general.parameter_count}, or {@code -1}
 * @param tensorParameters   the sum over this file's tensor infos of their element counts
 * @param splitCount         {@code split.count}, or {@code -1} for a file that is not part of a split model
 * @param end                the offset where the header ends, to point at when a required key is missing
 */
record GgufHeader(long fileSize, String architecture, long contextLength, long declaredParameters,
        long tensorParameters, boolean chatTemplate, String name, long splitCount, long end) {

    long parameterCount() {
        return declaredParameters >= 0 ? declaredParameters : tensorParameters;
    }

    /** Part 1 of a split model with a later part's bytes and tensors added. */
    GgufHeader plus(GgufHeader part) {
        return new GgufHeader(fileSize + part.fileSize, architecture, contextLength, declaredParameters,
                tensorParameters + part.tensorParameters, chatTemplate, name, splitCount, end);
    }

    GgufModel toModel(String id, Path path) throws GgufFormatException {
        if (architecture == null || architecture.isEmpty()) { // llama.cpp cannot load a model without it
            throw new GgufFormatException("no general.architecture key", end);
        }
        return new GgufModel(id, path, fileSize, architecture, contextLength, parameterCount(), chatTemplate,
                Optional.ofNullable(name));
    }
}
