package dev.switchboard.stream;

/**
 * Token counts one answer reported, from its {@code usage} object (and llama.cpp's {@code timings}). A count the
 * backend did not report is {@code -1}, never a guessed zero.
 *
 * @param prompt           {@code usage.prompt_tokens}
 * @param completion       {@code usage.completion_tokens}
 * @param total            {@code usage.total_tokens}
 * @param cached           {@code usage.prompt_tokens_details.cached_tokens}, else llama.cpp's {@code timings.cache_n}
 * @param reasoning        {@code usage.completion_tokens_details.reasoning_tokens}
 * @param tokensPerSecond  llama.cpp's {@code timings.predicted_per_second}; {@code -1} when absent
 */
public record Usage(long prompt, long completion, long total, long cached, long reasoning, double tokensPerSecond) {

    public static final Usage NONE = new Usage(-1, -1, -1, -1, -1, -1);
}
