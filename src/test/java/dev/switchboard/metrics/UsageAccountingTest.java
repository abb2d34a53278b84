package dev.switchboard.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.RecordedRequest;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.Scrape;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * Token accounting end to end: Switchboard asks every stream for usage, counts it in {@code /q/metrics} and
 * {@code /v1/usage}, and a client that did not ask for the usage event gets the stream it would have had without it.
 * The fake answers like llama.cpp does: {@code chat_stream_include_usage} when the body asks for usage,
 * {@code chat_stream} otherwise.
 */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class UsageAccountingTest extends FakeBackendTest {

    private static final String CHAT = "/v1/chat/completions";
    private static final String TOKENS = "switchboard_tokens_total";
    /** The recordings' requests name model "tiny", which the fake's model list does not have. */
    private static final String[] PROMPT = {"backend", "default", "model", "other", "kind", "prompt"};
    private static final String[] COMPLETION = {"backend", "default", "model", "other", "kind", "completion"};
    private static final String[] CACHED = {"backend", "default", "model", "other", "kind", "cached"};

    @TestHTTPResource(CHAT)
    URI chat;

    @BeforeEach
    void answerLikeLlamaCpp() {
        backend.on("POST", CHAT, r -> {
            JsonObject body = r.bodyJson();
            if (!Boolean.TRUE.equals(body.getValue("stream"))) {
                return Reply.recording("chat_basic");
            }
            return asksForUsage(r) ? Reply.recording("chat_stream_include_usage") : Reply.recording("chat_stream");
        });
    }

    private static boolean asksForUsage(RecordedRequest r) {
        JsonObject options = r.bodyJson().getJsonObject("stream_options");
        return options != null && Boolean.TRUE.equals(options.getValue("include_usage"));
    }

    /** The usage event's counts, as recorded in chat_stream_include_usage. */
    private static JsonObject recordedUsage() {
        List<byte[]> events = Recording.load("chat_stream_include_usage").events();
        String usageEvent = new String(events.get(events.size() - 2), StandardCharsets.UTF_8);
        return new JsonObject(usageEvent.substring("data: ".length()).trim()).getJsonObject("usage");
    }

    private static List<String> stream(URI uri, String body) throws Exception {
        try (SseClient client = SseClient.post(uri, body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json")) {
            assertEquals(200, client.response().statusCode());
            List<String> events = new ArrayList<>();
            client.readAll().forEach(e -> events.add(new String(e, StandardCharsets.UTF_8)));
            return events;
        }
    }

    /** Chat ids are random per answer, timings differ per run: the two recordings differ in their values only. */
    private static List<String> withoutIds(List<String> events) {
        return events.stream().map(e -> e.replaceAll("chatcmpl-[A-Za-z0-9]+", "chatcmpl-ID")
                .replaceAll("\"timings\":\\{[^}]*}", "\"timings\":{...}")).toList();
    }

    private static String timings(String event) {
        return event.substring(event.indexOf("\"timings\":"), event.lastIndexOf('}'));
    }

    private static List<String> recordedEvents(String name) {
        return Recording.load(name).events().stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
    }

    private static JsonPath usageTotals() {
        return given().get("/v1/usage").then().statusCode(200).extract().jsonPath();
    }

    private static long total(JsonPath usage, String kind) {
        Object n = usage.get("backends.default.models.other." + kind);
        return n == null ? 0 : ((Number) n).longValue();
    }

    @Test
    void aStreamClientThatDidNotAskGetsTheStreamItWouldHaveHadWhileItsTokensAreCounted() throws Exception {
        JsonObject usage = recordedUsage();
        double prompt = Scrape.now().sum(TOKENS, PROMPT);
        double completion = Scrape.now().sum(TOKENS, COMPLETION);
        JsonPath totalsBefore = usageTotals();

        List<String> events = stream(chat, new String(Recording.requestBody("chat_stream"), StandardCharsets.UTF_8));

        assertTrue(asksForUsage(backend.lastRequest("POST", CHAT)), "Switchboard asks the backend for usage");
        assertEquals(withoutIds(recordedEvents("chat_stream")), withoutIds(events),
                "the events llama.cpp sends a client that does not ask for usage");
        List<String> asked = recordedEvents("chat_stream_include_usage");
        assertEquals(timings(asked.get(asked.size() - 2)), timings(events.get(events.size() - 2)),
                "the finish chunk carries the timings llama.cpp put in the usage event");

        Scrape after = Scrape.await(v -> v > prompt, TOKENS, PROMPT);
        assertEquals(prompt + usage.getLong("prompt_tokens"), after.sum(TOKENS, PROMPT));
        assertEquals(completion + usage.getLong("completion_tokens"), after.sum(TOKENS, COMPLETION));
        JsonPath totals = usageTotals();
        assertEquals(total(totalsBefore, "requests") + 1, total(totals, "requests"));
        assertEquals(total(totalsBefore, "prompt_tokens") + usage.getLong("prompt_tokens"), total(totals, "prompt_tokens"));
        assertEquals(total(totalsBefore, "completion_tokens") + usage.getLong("completion_tokens"),
                total(totals, "completion_tokens"));
        assertEquals(total(totalsBefore, "total_tokens") + usage.getLong("total_tokens"), total(totals, "total_tokens"));
        assertEquals("usage", totals.getString("object"));
    }

    @Test
    void aStreamClientThatAskedGetsTheUsageEventAsSent() throws Exception {
        double prompt = Scrape.now().sum(TOKENS, PROMPT);
        String body = new String(Recording.requestBody("chat_stream_include_usage"), StandardCharsets.UTF_8);

        List<String> events = stream(chat, body);

        assertEquals(body, backend.lastRequest("POST", CHAT).bodyString(), "the client's body, unchanged");
        assertEquals(recordedEvents("chat_stream_include_usage"), events);
        assertEquals(prompt + recordedUsage().getLong("prompt_tokens"),
                Scrape.await(v -> v > prompt, TOKENS, PROMPT).sum(TOKENS, PROMPT));
    }

    @Test
    void aStreamClientThatRefusedUsageGetsNoneAndIsCountedAnyway() throws Exception {
        double prompt = Scrape.now().sum(TOKENS, PROMPT);
        String body = new String(Recording.requestBody("chat_stream"), StandardCharsets.UTF_8)
                .replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":false}");

        List<String> events = stream(chat, body);

        assertTrue(asksForUsage(backend.lastRequest("POST", CHAT)));
        for (String event : events) {
            assertFalse(event.contains("\"usage\""), event);
        }
        assertEquals(recordedEvents("chat_stream").size(), events.size());
        assertEquals(prompt + recordedUsage().getLong("prompt_tokens"),
                Scrape.await(v -> v > prompt, TOKENS, PROMPT).sum(TOKENS, PROMPT));
    }

    @Test
    void aJsonAnswersUsageIsCountedAndTheAnswerPassesUnchanged() throws Exception {
        JsonObject usage = new JsonObject(Recording.load("chat_basic").bodyString()).getJsonObject("usage");
        double prompt = Scrape.now().sum(TOKENS, PROMPT);
        double completion = Scrape.now().sum(TOKENS, COMPLETION);
        long totalBefore = total(usageTotals(), "total_tokens");

        byte[] answer = given().body(Recording.requestBody("chat_basic")).contentType("application/json").post(CHAT)
                .then().statusCode(200).extract().asByteArray();

        assertEquals(Recording.load("chat_basic").bodyString(), new String(answer, StandardCharsets.UTF_8));
        assertNull(backend.lastRequest("POST", CHAT).bodyJson().getValue("stream_options"),
                "a JSON request is not asked for usage: its answer always has it");
        Scrape after = Scrape.await(v -> v > prompt, TOKENS, PROMPT);
        assertEquals(prompt + usage.getLong("prompt_tokens"), after.sum(TOKENS, PROMPT));
        assertEquals(completion + usage.getLong("completion_tokens"), after.sum(TOKENS, COMPLETION));
        assertEquals(totalBefore + usage.getLong("total_tokens"), total(usageTotals(), "total_tokens"));
    }

    @Test
    void llamaCppsCacheCountIsCountedAsCachedTokens() throws Exception {
        backend.on("POST", CHAT, Reply.recording("chat_cached_tokens_2"));
        long cacheN = new JsonObject(Recording.load("chat_cached_tokens_2").bodyString())
                .getJsonObject("timings").getLong("cache_n");
        double cached = Scrape.now().sum(TOKENS, CACHED);
        long cachedTotal = total(usageTotals(), "cached_tokens");

        byte[] answer = given().body(Recording.requestBody("chat_cached_tokens_2")).contentType("application/json")
                .post(CHAT).then().statusCode(200).extract().asByteArray();

        assertEquals(Recording.load("chat_cached_tokens_2").bodyString(), new String(answer, StandardCharsets.UTF_8),
                "without cached-tokens the answer is relayed unchanged");
        assertEquals(cached + cacheN, Scrape.await(v -> v > cached, TOKENS, CACHED).sum(TOKENS, CACHED));
        assertEquals(cachedTotal + cacheN, total(usageTotals(), "cached_tokens"));
    }
}
