package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

/** A short idle timeout: silence before the answer is a 504, silence inside a stream ends it with an error event. */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(SilentBackendTest.ShortIdleTimeout.class)
class SilentBackendTest extends FakeBackendTest {

    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.backend.idle-timeout", "700ms");
        }
    }

    @TestHTTPResource("/v1/chat/completions")
    URI chat;

    @Test
    void noAnswerInTimeIs504() {
        backend.on("POST", "/v1/chat/completions", Reply.hold());
        given().body(Recording.requestBody("chat_basic")).contentType("application/json")
                .post("/v1/chat/completions").then().statusCode(504)
                .body("error.type", equalTo("server_error"))
                .body("error.code", equalTo("backend_timeout"));
    }

    @Test
    void aSlowButSteadyStreamIsNeverCut() throws Exception {
        // 12 gaps of 400 ms: 5 s in all, far past the 700 ms idle timeout, but never 700 ms of silence
        backend.on("POST", "/v1/chat/completions", Reply.recording("chat_stream").eventDelay(Duration.ofMillis(400)));
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream"))) {
            List<byte[]> events = client.readAll();
            assertEquals(Recording.load("chat_stream").eventCount(), events.size());
            assertEquals("data: [DONE]\n\n", new String(events.get(events.size() - 1), StandardCharsets.UTF_8));
        }
    }

    @Test
    void silenceInsideAStreamEndsItWithAnErrorEvent() throws Exception {
        backend.on("POST", "/v1/chat/completions", Reply.recording("chat_stream").hangAfter(2));
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream"))) {
            List<byte[]> events = client.readAll();
            assertEquals(3, events.size());
            assertArrayEquals(Recording.load("chat_stream").events().get(1), events.get(1));
            String last = new String(events.get(2), StandardCharsets.UTF_8);
            assertTrue(last.startsWith("data: {\"error\":"), last);
            assertTrue(last.contains("backend went silent"), last);
        }
        assertTrue(backend.lastResponse("POST", "/v1/chat/completions").awaitClientGone(Duration.ofSeconds(1)));
    }
}
