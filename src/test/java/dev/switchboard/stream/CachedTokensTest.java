package dev.switchboard.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.json.JsonTrees;
import dev.switchboard.testsupport.Recording;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** {@code addCachedTokens}: llama.cpp's {@code timings.cache_n} shown as {@code prompt_tokens_details.cached_tokens}. */
class CachedTokensTest {

    private static String text(Buffer b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    /** {@code body} with the cached count added where its usage object ends ({@code usageEnd}, closing brace included). */
    private static String added(String body, String usageEnd, long cached) {
        String inserted = ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "}}";
        return body.replace(usageEnd, usageEnd.substring(0, usageEnd.length() - 1) + inserted);
    }

    private static Buffer answer(String body) {
        UsageTap tap = new UsageTap(false, true);
        Buffer in = Buffer.buffer(body);
        Buffer out = tap.onAnswer(in);
        if (text(out).equals(body)) {
            assertSame(in, out, "an unchanged answer must be the same buffer");
        }
        return out;
    }

    @Test
    void llamaCppAnswerGainsTheFieldAndKeepsEveryOtherByte() {
        String body = Recording.load("chat_basic").bodyString();
        String out = text(answer(body));
        assertEquals(added(body, "\"total_tokens\":33}", 0), out);
        JsonObject json = (JsonObject) JsonTrees.parse(out.getBytes(StandardCharsets.UTF_8));
        assertNotNull(json, "still valid JSON");
        assertEquals(0, json.getJsonObject("usage").getJsonObject("prompt_tokens_details").getInteger("cached_tokens"));
        assertEquals(List.of("choices", "created", "model", "system_fingerprint", "object", "usage", "id", "timings"),
                List.copyOf(json.fieldNames()));

        String cached = Recording.load("chat_cached_tokens_2").bodyString();
        assertEquals(added(cached, "\"total_tokens\":62}", 42), text(answer(cached)));
    }

    @Test
    void anAnswerThatHasTheFieldOrNoTimingsIsTheSameBuffer() {
        String zen = Recording.load("zen", "chat_glm_reasoning").bodyString();
        assertEquals(zen, text(answer(zen)));
        String embeddings = Recording.load("embeddings_float_single").bodyString();
        assertEquals(embeddings, text(answer(embeddings)));
        String zero = "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":0}},\"timings\":{\"cache_n\":7}}";
        assertEquals(zero, text(answer(zero)));
    }

    @Test
    void everyShapeOfMissingGetsTheCount() {
        String timings = ",\"timings\":{\"cache_n\":7}}";
        String[][] cases = {
            {"{\"usage\":{}", "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":7}}"},
            {"{\"usage\":{\"prompt_tokens_details\":{}}", "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":7}}"},
            {"{\"usage\":{\"prompt_tokens_details\":null}", "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":7}}"},
            {"{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":null}}",
                "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":7}}"},
            {"{\"usage\":{\"prompt_tokens_details\":{\"audio_tokens\":0}, \"total_tokens\":3}",
                "{\"usage\":{\"prompt_tokens_details\":{\"audio_tokens\":0,\"cached_tokens\":7}, \"total_tokens\":3}"},
            {"{ \"usage\" : { \"prompt_tokens\" : 5 }",
                "{ \"usage\" : { \"prompt_tokens\" : 5 ,\"prompt_tokens_details\":{\"cached_tokens\":7}}"},
            {"{\"note\":\"h\u00e9llo \uD83D\uDE00\",\"usage\":{\"prompt_tokens\":5}",
                "{\"note\":\"h\u00e9llo \uD83D\uDE00\",\"usage\":{\"prompt_tokens\":5,"
                        + "\"prompt_tokens_details\":{\"cached_tokens\":7}}"},
        };
        for (String[] c : cases) {
            assertEquals(c[1] + timings, text(answer(c[0] + timings)), c[0]);
        }
        // a details value of a shape we do not know is left alone
        String odd = "{\"usage\":{\"prompt_tokens_details\":5}" + timings;
        assertEquals(odd, text(answer(odd)));
    }

    @Test
    void theUsageEventTheClientGetsGainsTheFieldToo() {
        List<Buffer> in = UsageTapTest.events(Recording.load("chat_stream_include_usage"));
        UsageTap tap = new UsageTap(false, true);
        assertTrue(tap.rewritesAnswers());
        for (int i = 0; i < in.size(); i++) {
            Buffer out = tap.onEvent(in.get(i));
            if (i != 12) {
                assertSame(in.get(i), out);
            } else {
                assertEquals(added(text(in.get(i)), "\"total_tokens\":48}", 36), text(out));
            }
        }
        assertEquals(36, tap.usage().cached());
    }

    @Test
    void theCompletionsFinishChunkGainsTheField() {
        List<Buffer> in = UsageTapTest.events(Recording.load("completions_stream"));
        UsageTap tap = new UsageTap(true, true);
        List<Buffer> out = UsageTapTest.relay(tap, in);
        assertEquals(in.size(), out.size());
        String finish = text(out.get(out.size() - 2));
        assertEquals(added(text(in.get(in.size() - 2)), "\"total_tokens\":15}", 3), finish);
    }

    @Test
    void aDroppedUsageEventIsNotRewrittenButDropped() {
        List<Buffer> in = UsageTapTest.events(Recording.load("chat_stream_include_usage"));
        List<Buffer> out = UsageTapTest.relay(new UsageTap(true, true), in);
        assertEquals(in.size() - 1, out.size());
        assertFalse(out.stream().anyMatch(b -> text(b).contains("cached_tokens")));
    }
}
