package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.URI;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class CompletionsAndEmbeddingsTest extends FakeBackendTest {

    @TestHTTPResource("/v1/completions")
    URI completions;

    @Test
    void completionAnswerAndRequestAreRelayedExactly() {
        byte[] body = given().body(Recording.requestBody("completions_basic")).contentType("application/json")
                .post("/v1/completions").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Recording.load("completions_basic").body(), body);
        assertArrayEquals(Recording.requestBody("completions_basic"),
                backend.lastRequest("POST", "/v1/completions").body());
    }

    @Test
    void completionStreamIsRelayedEventByEvent() throws Exception {
        try (SseClient client = SseClient.post(completions, Recording.requestBody("completions_stream"))) {
            assertEquals("text/event-stream", client.response().headers().firstValue("Content-Type").orElseThrow());
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            client.readAll().forEach(all::writeBytes);
            assertArrayEquals(Recording.load("completions_stream").body(), all.toByteArray());
        }
    }

    @Test
    void embeddingsAreRelayedExactly() {
        backend.on("POST", "/v1/embeddings", Reply.recording("embeddings_base64_array"));
        byte[] body = given().body(Recording.requestBody("embeddings_base64_array")).contentType("application/json")
                .post("/v1/embeddings").then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Recording.load("embeddings_base64_array").body(), body);
        assertArrayEquals(Recording.requestBody("embeddings_base64_array"),
                backend.lastRequest("POST", "/v1/embeddings").body());
    }

    @Test
    void embeddingErrorsKeepTheBackendStatus() {
        backend.on("POST", "/v1/embeddings", Reply.recording("embeddings_empty_input"));
        byte[] body = given().body(Recording.requestBody("embeddings_empty_input")).contentType("application/json")
                .post("/v1/embeddings").then().statusCode(400).extract().asByteArray();
        assertArrayEquals(Recording.load("embeddings_empty_input").body(), body);
    }

    @Test
    void embeddingsOnAServerWithoutThemKeepThe501() {
        backend.on("POST", "/v1/embeddings", Reply.recording("error_embeddings_without_flag"));
        given().body(Recording.requestBody("embeddings_float_single")).contentType("application/json")
                .post("/v1/embeddings").then().statusCode(501);
    }
}
