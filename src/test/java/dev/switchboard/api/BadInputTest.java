package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Bad requests are answered by the gateway, 4xx in OpenAI's envelope saying what is wrong, and nothing reaches the
 * backend (checked after every test). Same profile as {@link GatewayErrorsTest}: bodies over 1000 bytes are too large.
 */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(GatewayErrorsTest.SmallBodies.class)
class BadInputTest extends FakeBackendTest {

    private static final String CHAT = "/v1/chat/completions";

    @TestHTTPResource(CHAT)
    URI chat;

    @AfterEach
    void nothingReachedTheBackend() {
        assertTrue(backend.requests("POST", CHAT).isEmpty(), () -> "forwarded: " + backend.requests());
        assertTrue(backend.requests("POST", "/v1/completions").isEmpty());
        assertTrue(backend.requests("POST", "/v1/embeddings").isEmpty());
    }

    private static void refused(byte[] body, int status, String code, String says) {
        given().body(body).contentType("application/json").post(CHAT).then()
                .statusCode(status)
                .contentType("application/json")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo(code))
                .body("error.message", containsString(says));
    }

    private static void refused(String body, String code, String says) {
        refused(body.getBytes(StandardCharsets.UTF_8), 400, code, says);
    }

    @Test
    void notJson() {
        refused("hello", "invalid_request_body", "not valid JSON");
        refused("{\"model\":\"tiny\",\"messages\":[}", "invalid_request_body", "not valid JSON");
        refused("", "invalid_request_body", "empty");
    }

    @Test
    void jsonThatIsNotAnObject() {
        refused("[{\"model\":\"tiny\"}]", "invalid_request_body", "must be a JSON object");
        refused("\"tiny\"", "invalid_request_body", "must be a JSON object");
        refused("{\"model\":\"tiny\",\"messages\":[]} {}", "invalid_request_body", "single JSON object");
    }

    @Test
    void fieldsOfTheWrongType() {
        refused("{\"model\":7,\"messages\":[]}", "invalid_request_body", "'model' must be a string");
        refused("{\"model\":[\"tiny\"],\"messages\":[]}", "invalid_request_body", "'model' must be a string");
        refused("{\"model\":\"tiny\",\"messages\":[],\"stream\":\"true\"}", "invalid_request_body",
                "'stream' must be a boolean");
        refused("{\"model\":\"tiny\",\"messages\":[],\"stream\":1}", "invalid_request_body", "'stream' must be a boolean");
    }

    @Test
    void requiredFieldMissing() {
        refused("{\"model\":\"tiny\"}", "missing_field", "'messages' is required");
        refused("{\"model\":\"tiny\",\"messages\":null}", "missing_field", "'messages' is required");
        given().body("{\"model\":\"tiny\"}").contentType("application/json").post("/v1/completions").then()
                .statusCode(400).body("error.code", equalTo("missing_field")).body("error.message", containsString("'prompt'"));
        given().body("{\"model\":\"tiny\"}").contentType("application/json").post("/v1/embeddings").then()
                .statusCode(400).body("error.code", equalTo("missing_field")).body("error.message", containsString("'input'"));
    }

    @Test
    void bodyOverTheLimit() {
        refused(("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(1000) + "\"}]}")
                .getBytes(StandardCharsets.UTF_8), 413, "request_too_large", "larger than the limit of 1000 bytes");
    }

    @Test
    void invalidUtf8() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8));
        body.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF}); // an overlong '/': the JSON scan alone let it through
        body.writeBytes("\"}]}".getBytes(StandardCharsets.UTF_8));
        refused(body.toByteArray(), 400, "invalid_request_body", "not valid UTF-8");
        refused(new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'}, 400, "invalid_request_body", "not valid UTF-8");
    }

    /** Headers over Quarkus's {@code quarkus.http.limits.max-header-size} (20 KB by default). */
    @Test
    void hugeHeaders() throws Exception {
        String body = "{\"model\":\"tiny\",\"messages\":[]}";
        String head = "POST " + CHAT + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "X-Huge: " + "h".repeat(40 * 1024) + "\r\nContent-Length: " + body.length() + "\r\n\r\n";
        String answer;
        try (Socket socket = new Socket(chat.getHost(), chat.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((head + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // until the gateway closes
        }
        // Vert.x answers while decoding the head, before any route or filter of Quarkus runs, and Quarkus 3.33 gives
        // no access to the server's invalidRequestHandler: an empty 431, then it closes the connection (read to
        // the end above). Documented in the README's errors section; change both if that becomes possible.
        assertTrue(answer.startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"), answer);
        assertTrue(answer.toLowerCase().contains("\r\ncontent-length: 0\r\n"), answer);
        assertTrue(answer.endsWith("\r\n\r\n"), answer);
        assertTrue(backend.requests("POST", CHAT).isEmpty());
        // and the gateway keeps serving
        given().body("{\"model\":\"tiny\",\"messages\":[]}").contentType("application/json").post(CHAT).then()
                .statusCode(200);
        backend.reset(); // that one was meant to reach the backend
    }
}
