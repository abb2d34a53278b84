package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeZenResource;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * By default ({@code reasoning=passthrough}) reasoning is the backend's and the client's business: answers, streams
 * and the reasoning in a conversation's history pass as sent.
 */
@QuarkusTest
@WithTestResource(FakeZenResource.class)
class ReasoningPassthroughTest extends FakeBackendTest {

    private static final String ZEN_CHAT = "/zen/v1/chat/completions";
    private static final String HISTORY = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
            + "{\"role\":\"assistant\",\"content\":\"Hello\",\"reasoning_content\":\"The user greets me.\\nBe brief.\"},"
            + "{\"role\":\"user\",\"content\":\"again\"}]";

    @TestHTTPResource("/v1/chat/completions")
    URI chat;

    private List<byte[]> stream(String body) throws Exception {
        try (SseClient client = SseClient.post(chat, body.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json")) {
            return new ArrayList<>(client.readAll());
        }
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }

    @Test
    void anAnswersReasoningAndTheHistorysReasoningPassUnchanged() {
        String request = "{\"model\":\"glm-5.1\"," + HISTORY + "}";
        byte[] answer = given().body(request).contentType("application/json").post("/v1/chat/completions")
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Recording.load("zen", "chat_glm_reasoning").body(), answer);
        assertEquals(request, backend.lastRequest("POST", ZEN_CHAT).bodyString());
    }

    @Test
    void aStreamThatAskedForUsagePassesByteForByte() throws Exception {
        String request = "{\"model\":\"glm-5.1\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," + HISTORY + "}";
        assertArrayEquals(Recording.load("zen", "chat_glm_reasoning_stream_include_usage").body(), concat(stream(request)));
        assertEquals(request, backend.lastRequest("POST", ZEN_CHAT).bodyString());
    }

    @Test
    void aStreamThatDidNotAskGetsEveryEventButTheUsageOneAndItsHistoryOnlyGainsTheOption() throws Exception {
        String request = "{\"model\":\"glm-5.1\",\"stream\":true," + HISTORY + "}";
        List<byte[]> expected = new ArrayList<>(Recording.load("zen", "chat_glm_reasoning_stream_include_usage").events());
        byte[] usage = expected.remove(expected.size() - 2);
        assertEquals(true, new String(usage, StandardCharsets.UTF_8).contains("\"choices\": [], \"usage\""));

        assertArrayEquals(concat(expected), concat(stream(request)));
        assertEquals("{\"stream_options\":{\"include_usage\":true}," + request.substring(1),
                backend.lastRequest("POST", ZEN_CHAT).bodyString());
    }
}
