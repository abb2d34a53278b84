package dev.switchboard.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** {@code cached-tokens=true}: llama.cpp's {@code timings.cache_n} reaches clients as OpenAI's cached_tokens. */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(CachedTokensAnswerTest.CachedTokens.class)
class CachedTokensAnswerTest extends FakeBackendTest {

    private static final String CHAT = "/v1/chat/completions";

    public static class CachedTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.backends.default.cached-tokens", "true");
        }
    }

    @TestHTTPResource(CHAT)
    URI chat;

    @Test
    void aJsonAnswerGainsCachedTokensAndIsOtherwiseAsSent() {
        backend.on("POST", CHAT, Reply.recording("chat_cached_tokens_2"));
        var response = given().body(Recording.requestBody("chat_cached_tokens_2")).contentType("application/json")
                .post(CHAT).then().statusCode(200).extract();
        String answer = response.asString();

        JsonObject sent = new JsonObject(Recording.load("chat_cached_tokens_2").bodyString());
        JsonObject got = new JsonObject(answer);
        assertEquals(sent.getJsonObject("timings").getLong("cache_n"),
                got.getJsonObject("usage").getJsonObject("prompt_tokens_details").getLong("cached_tokens"));
        got.getJsonObject("usage").remove("prompt_tokens_details");
        assertEquals(sent, got);
        assertEquals(Integer.toString(answer.getBytes(StandardCharsets.UTF_8).length), response.header("Content-Length"));
    }

    @Test
    void theUsageEventOfAStreamThatAskedGainsThemToo() throws Exception {
        backend.on("POST", CHAT, Reply.recording("chat_stream_include_usage"));
        List<byte[]> events;
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream_include_usage"))) {
            events = client.readAll();
        }
        String usageEvent = new String(events.get(events.size() - 2), StandardCharsets.UTF_8);
        JsonObject chunk = new JsonObject(usageEvent.substring("data: ".length()).trim());
        assertEquals(chunk.getJsonObject("timings").getLong("cache_n"),
                chunk.getJsonObject("usage").getJsonObject("prompt_tokens_details").getLong("cached_tokens"));
    }
}
