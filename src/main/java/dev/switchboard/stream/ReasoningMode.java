package dev.switchboard.stream;

/** What a backend's reasoning looks like to clients ({@code switchboard.backends.<name>.reasoning}). */
public enum ReasoningMode {
    /** As the backend sent it: {@code reasoning_content} untouched, {@code <think>} left in {@code content}. */
    PASSTHROUGH,
    /**
     * {@code <think>...</think>} at the start of {@code content} moves into {@code reasoning_content}; a backend's
     * {@code reasoning} field is renamed {@code reasoning_content}.
     */
    SPLIT,
    /** The reasoning is removed: no {@code reasoning_content}, no {@code reasoning}, no leading think block. */
    STRIP
}
