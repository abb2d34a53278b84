package dev.switchboard.log;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class RequestIdTest extends FakeBackendTest {

    private static final String CHAT = "/v1/chat/completions";

    private Response chat(String... header) {
        var request = given().body(Recording.requestBody("chat_basic")).contentType("application/json");
        if (header.length == 2) {
            request.header(header[0], header[1]);
        }
        return request.post(CHAT);
    }

    @Test
    void theClientsIdIsReturnedAndSentToTheBackend() {
        Response response = chat("X-Request-Id", "req-abc_123");
        assertEquals(200, response.statusCode());
        assertEquals("req-abc_123", response.header("X-Request-Id"));
        assertEquals("req-abc_123", backend.lastRequest("POST", CHAT).header("X-Request-Id"));
    }

    @Test
    void withoutOneAnIdIsGeneratedReturnedAndSentToTheBackend() {
        String first = chat().header("X-Request-Id");
        assertTrue(first.matches("[0-9a-f]{16}"), first);
        assertEquals(first, backend.lastRequest("POST", CHAT).header("X-Request-Id"));
        assertNotEquals(first, chat().header("X-Request-Id"));
    }

    @Test
    void anIdThatCouldBreakALogLineIsReplaced() {
        String id = chat("X-Request-Id", "a b").header("X-Request-Id");
        assertTrue(id.matches("[0-9a-f]{16}"), id);
    }

    @Test
    void theBackendsOwnIdDoesNotReachTheClient() {
        backend.on("POST", CHAT, Reply.recording("chat_basic").withHeader("X-Request-Id", "backend-id"));
        Response response = chat("X-Request-Id", "mine");
        assertEquals(1, response.headers().getValues("X-Request-Id").size());
        assertEquals("mine", response.header("X-Request-Id"));
    }

    @Test
    void everyAnswerCarriesOne() {
        assertTrue(given().get("/v1/models").header("X-Request-Id").matches("[0-9a-f]{16}"));
        assertTrue(given().get("/v1/nope").header("X-Request-Id").matches("[0-9a-f]{16}"));
    }
}
