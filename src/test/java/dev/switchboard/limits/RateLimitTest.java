package dev.switchboard.limits;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackend;
import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.RecordedRequest;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * Rate limits counted in memory, per gateway key: 3 requests and 1000 tokens per minute. Each test uses keys of its
 * own, so that the counts of one test never reach another's.
 */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(RateLimitTest.Limits.class)
class RateLimitTest extends FakeBackendTest {

    static final String REQUESTS_KEY = "sk-rl-requests";
    static final String OTHER_KEY = "sk-rl-other";
    static final String TOKENS_KEY = "sk-rl-tokens";
    static final String HEADERS_KEY = "sk-rl-headers";
    /** OpenAI's way of writing a reset time: {@code 1m0s}, {@code 59.948s}, {@code 6s}, {@code 250ms}. */
    static final String RESET = "(1m)?[0-9]+(\\.[0-9]+)?s|[0-9]+ms";

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.auth.api-keys", String.join(",", REQUESTS_KEY, OTHER_KEY, TOKENS_KEY, HEADERS_KEY),
                    "switchboard.limits.requests-per-minute", "3",
                    "switchboard.limits.tokens-per-minute", "1000");
        }
    }

    /** What reached the backend's API (the gateway's own probes left out). */
    static List<RecordedRequest> apiRequests(FakeBackend backend) {
        return backend.requests().stream().filter(r -> r.path().startsWith("/v1/")).toList();
    }

    static ValidatableResponse post(String key, String path, String recording) {
        var request = given().body(Recording.requestBody(recording)).contentType("application/json");
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return request.post(path).then();
    }

    static ValidatableResponse chat(String key) {
        return post(key, "/v1/chat/completions", "chat_basic");
    }

    /** A 429 of the limiter: OpenAI's envelope, Retry-After, and the headers saying nothing remains. */
    static ValidatableResponse isRateLimited(ValidatableResponse response) {
        return response.statusCode(429)
                .contentType("application/json")
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("rate_limit_exceeded"))
                .body("error.param", nullValue())
                .header("Retry-After", matchesPattern("[1-9][0-9]?"))
                .header("retry-after-ms", matchesPattern("[1-9][0-9]*"))
                .header("x-ratelimit-reset-requests", matchesPattern(RESET));
    }

    @Test
    void theFourthRequestInAMinuteIs429AndNeverReachesTheBackend() {
        for (int i = 1; i <= 3; i++) {
            chat(REQUESTS_KEY).statusCode(200)
                    .header("x-ratelimit-limit-requests", "3")
                    .header("x-ratelimit-remaining-requests", String.valueOf(3 - i))
                    .header("x-ratelimit-reset-requests", matchesPattern(RESET));
        }
        isRateLimited(chat(REQUESTS_KEY))
                .header("x-ratelimit-remaining-requests", "0")
                .body("error.message", containsString("requests per minute: limit 3"));
        isRateLimited(post(REQUESTS_KEY, "/v1/embeddings", "embeddings_float_single"));
        assertEquals(3, apiRequests(backend).size(), () -> "backend received " + backend.requests());

        // another key has its own count
        chat(OTHER_KEY).statusCode(200).header("x-ratelimit-remaining-requests", "2");
        assertEquals(4, apiRequests(backend).size());
    }

    @Test
    void theTokenLimitRefusesOnceTheUsedTokensReachIt() {
        backend.on("POST", "/v1/chat/completions", Reply.status(200, "application/json",
                "{\"id\":\"c\",\"object\":\"chat.completion\",\"choices\":[],"
                        + "\"usage\":{\"prompt_tokens\":500,\"completion_tokens\":100,\"total_tokens\":600}}"));
        chat(TOKENS_KEY).statusCode(200)
                .header("x-ratelimit-limit-tokens", "1000")
                .header("x-ratelimit-remaining-tokens", "1000");
        // 600 used: below the limit, so let in; its answer takes the count to 1200
        chat(TOKENS_KEY).statusCode(200).header("x-ratelimit-remaining-tokens", "400");
        isRateLimited(chat(TOKENS_KEY))
                .header("x-ratelimit-remaining-tokens", "0")
                .header("x-ratelimit-remaining-requests", "1")
                .body("error.message", containsString("tokens per minute: limit 1000, used 1200"));
        assertEquals(2, apiRequests(backend).size(), () -> "backend received " + backend.requests());
    }

    @Test
    void everyRelayedEndpointCarriesTheHeadersAndReplacesTheBackends() {
        backend.on("POST", "/v1/completions", Reply.status(200, "application/json",
                "{\"object\":\"text_completion\",\"choices\":[],\"usage\":{\"total_tokens\":0}}")
                .withHeader("x-ratelimit-limit-requests", "999999"));
        ValidatableResponse completion = post(HEADERS_KEY, "/v1/completions", "completions_basic").statusCode(200)
                .header("x-ratelimit-limit-requests", "3")
                .header("x-ratelimit-remaining-requests", "2")
                .header("x-ratelimit-limit-tokens", "1000")
                .header("x-ratelimit-reset-tokens", matchesPattern(RESET));
        assertEquals(1, completion.extract().headers().getValues("x-ratelimit-limit-requests").size());

        given().body(Recording.requestBody("chat_stream")).contentType("application/json")
                .header("Authorization", "Bearer " + HEADERS_KEY)
                .post("/v1/chat/completions").then().statusCode(200).contentType("text/event-stream")
                .header("x-ratelimit-remaining-requests", "1");

        // not counted: the model list
        given().header("Authorization", "Bearer " + HEADERS_KEY).get("/v1/models").then().statusCode(200)
                .header("x-ratelimit-limit-requests", nullValue());
        post(HEADERS_KEY, "/v1/embeddings", "embeddings_float_single").statusCode(200)
                .header("x-ratelimit-remaining-requests", "0");
        assertTrue(apiRequests(backend).stream().anyMatch(r -> r.path().equals("/v1/embeddings")));
    }

    @Test
    void aRequestWithoutAKeyIsRefusedBeforeItIsCounted() {
        chat(null).statusCode(401).header("x-ratelimit-limit-requests", nullValue());
    }
}
