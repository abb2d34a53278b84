package dev.switchboard.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Generates chat streams of any length in llama.cpp's exact shape (key order, id format,
 * system_fingerprint, timings on the finish chunk, as in chat_stream.http), because the real long
 * recordings are 350 KB cut-off streams we do not want to ship.
 */
public final class LongStream {

    private static final String ID = "chatcmpl-LongStreamLongStreamLongStream00";
    private static final String TAIL = ",\"created\":1795948980,\"id\":\"" + ID + "\",\"model\":\"tiny-qwen25-tools\","
            + "\"system_fingerprint\":\"b8355-617db241a\",\"object\":\"chat.completion.chunk\"";

    private LongStream() {
    }

    /** Role chunk, {@code n} content chunks " t0".." t(n-1)", finish chunk with timings, [DONE]. */
    public static Recording chat(int n) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        event(body, chunk("{\"role\":\"assistant\",\"content\":null}", "null") + "}");
        for (int i = 0; i < n; i++) {
            event(body, chunk("{\"content\":\" t" + i + "\"}", "null") + "}");
        }
        event(body, chunk("{}", "\"stop\"") + ",\"timings\":{\"cache_n\":0,\"prompt_n\":12,\"prompt_ms\":1.0,"
                + "\"prompt_per_token_ms\":0.08,\"prompt_per_second\":12000.0,\"predicted_n\":" + n
                + ",\"predicted_ms\":" + n + ".0,\"predicted_per_token_ms\":1.0,\"predicted_per_second\":1000.0}}");
        event(body, "[DONE]");
        // headers as llama.cpp sends them for a stream (see chat_stream.http)
        return Recording.of(200, "OK", Recording.load("chat_stream").headers(), body.toByteArray());
    }

    private static String chunk(String delta, String finishReason) {
        return "{\"choices\":[{\"finish_reason\":" + finishReason + ",\"index\":0,\"delta\":" + delta + "}]" + TAIL;
    }

    private static void event(ByteArrayOutputStream out, String data) {
        out.writeBytes(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
