package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeZenResource;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The cloud provider's shapes (OpenCode Zen), with the readiness probe switched off as it has no /health. */
@QuarkusTest
@WithTestResource(FakeZenResource.class)
class ZenBackendTest extends FakeBackendTest {

    private static final String CHAT = "/zen/v1/chat/completions";
    private static final byte[] GLM_REQUEST = ("{\"model\":\"glm-5.1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"assistant\",\"content\":\"Hello\",\"reasoning_content\":\"The user greets me.\"},"
            + "{\"role\":\"user\",\"content\":\"again\"}]}").getBytes(StandardCharsets.UTF_8);

    @TestHTTPResource("/v1/chat/completions")
    URI chat;

    @Test
    void reasoningAnswerPassesAndReasoningInHistoryReachesTheBackend() {
        byte[] body = given().body(GLM_REQUEST).contentType("application/json").post("/v1/chat/completions")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Recording.load("zen", "chat_glm_reasoning").body(), body);
        assertArrayEquals(GLM_REQUEST, backend.lastRequest("POST", CHAT).body());
    }

    @Test
    void reasoningStreamWithUsagePassesByteForByte() throws Exception {
        byte[] request = "{\"model\":\"glm-5.1\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}"
                .getBytes(StandardCharsets.UTF_8);
        try (SseClient client = SseClient.post(chat, request)) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            client.readAll().forEach(all::writeBytes);
            assertArrayEquals(Recording.load("zen", "chat_glm_reasoning_stream_include_usage").body(), all.toByteArray());
        }
    }

    @Test
    void providerErrorEnvelopeBecomesOpenAiKeepingStatusMessageAndType() {
        backend.on("POST", CHAT, Reply.recording("zen", "error_invalid_key"));
        given().body(GLM_REQUEST).contentType("application/json").post("/v1/chat/completions").then()
                .statusCode(401)
                .contentType("application/json")
                .body("error.message", equalTo("Invalid API key."))
                .body("error.type", equalTo("AuthError"))
                .body("error.param", nullValue())
                .body("type", nullValue());
    }

    @Test
    void rateLimitKeepsRetryAfterAndIsTranslatedForStreamsToo() {
        backend.on("POST", CHAT, Reply.recording("zen", "error_rate_limited"));
        given().body("{\"model\":\"glm-5.1\",\"stream\":true,\"messages\":[]}").contentType("application/json")
                .post("/v1/chat/completions").then()
                .statusCode(429)
                .header("Retry-After", "12")
                .body("error.type", equalTo("RateLimitError"))
                .body("error.message", equalTo("Rate limit exceeded. Please retry later."));
    }

    @Test
    void modelListIsAlreadyOpenAiShaped() {
        given().get("/v1/models").then().statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", contains("glm-5.1", "glm-5.2", "kimi-k2.5", "big-pickle"))
                .body("data[0].owned_by", equalTo("opencode"));
    }

    @Test
    void readinessIsUpWithTheProbeSwitchedOff() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks[0].data.default", equalTo("up"))
                .body("checks[0].data.'default.probe'", equalTo("disabled"));
    }
}
