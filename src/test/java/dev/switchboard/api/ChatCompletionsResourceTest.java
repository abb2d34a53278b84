package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.RawHttp;
import dev.switchboard.testsupport.RecordedRequest;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.ResponseLog;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class ChatCompletionsResourceTest extends FakeBackendTest {

    private static final String CHAT = "/v1/chat/completions";

    /** Every field a client may send, known or not, with odd spacing and non-ASCII text, must arrive as sent. */
    private static final byte[] RICH_BODY = ("{ \"model\" : \"tiny\", \"messages\": [{\"role\":\"user\",\"content\":\"h\u00e9llo \\u00e9 \ud83d\ude00\"},"
            + "{\"role\":\"assistant\",\"content\":\"ok\",\"reasoning_content\":\"thought first\"}],"
            + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],"
            + "\"tool_choice\":\"auto\",\"parallel_tool_calls\":false,\"stream_options\":{\"include_usage\":true},"
            + "\"response_format\":{\"type\":\"json_object\"},\"seed\":42,\"grammar\":\"root ::= \\\"a\\\"\","
            + "\"json_schema\":{\"type\":\"object\"},\"cache_prompt\":true,\"id_slot\":1,\"reasoning_format\":\"none\","
            + "\"chat_template_kwargs\":{\"enable_thinking\":false},\"max_tokens\":1.0e2 }")
            .getBytes(StandardCharsets.UTF_8);

    @TestHTTPResource(CHAT)
    URI chat;

    @Test
    void answerComesBackWithTheBackendStatusContentTypeAndBytes() {
        Recording recorded = Recording.load("chat_basic");
        Response response = given().body(Recording.requestBody("chat_basic")).contentType("application/json")
                .post(CHAT);
        assertEquals(200, response.statusCode());
        assertEquals(recorded.header("Content-Type"), response.contentType());
        assertArrayEquals(recorded.body(), response.asByteArray());
    }

    @Test
    void requestBodyReachesTheBackendByteForByte() {
        given().body(RICH_BODY).contentType("application/json").post(CHAT).then().statusCode(200);
        assertArrayEquals(RICH_BODY, backend.lastRequest("POST", CHAT).body());
    }

    @Test
    void endToEndHeadersPassHopByHopHeadersDoNot() {
        given().body(Recording.requestBody("chat_basic")).contentType("application/json")
                .header("Authorization", "Bearer client-key")
                .header("X-Custom-Trace", "abc")
                .header("x-opencode-session", "s-1")
                .header("Proxy-Authorization", "Basic secret")
                .header("Connection", "keep-alive, X-Drop-Me")
                .header("X-Drop-Me", "1")
                .post(CHAT).then().statusCode(200);
        RecordedRequest seen = backend.lastRequest("POST", CHAT);
        assertEquals("Bearer client-key", seen.header("Authorization"));
        assertEquals("abc", seen.header("X-Custom-Trace"));
        assertEquals("s-1", seen.header("x-opencode-session"));
        assertNull(seen.header("Proxy-Authorization"));
        assertNull(seen.header("X-Drop-Me"));
    }

    @Test
    void toolCallsComeBackUnchanged() {
        backend.on("POST", CHAT, Reply.recording("chat_tools_required"));
        byte[] body = given().body(Recording.requestBody("chat_tools_required")).contentType("application/json")
                .post(CHAT).then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Recording.load("chat_tools_required").body(), body);
        assertArrayEquals(Recording.requestBody("chat_tools_required"), backend.lastRequest("POST", CHAT).body());
    }

    @Test
    void anyContentTypeIsForwardedLikeLlamaCppAcceptsIt() {
        given().body(Recording.requestBody("chat_basic")).contentType("text/plain").post(CHAT)
                .then().statusCode(200);
        assertArrayEquals(Recording.requestBody("chat_basic"), backend.lastRequest("POST", CHAT).body());
    }

    @Test
    void backendErrorKeepsItsStatusAndOpenAiShapedBody() {
        backend.on("POST", CHAT, Reply.recording("error_prompt_too_long"));
        byte[] body = given().body(Recording.requestBody("error_prompt_too_long.json")).contentType("application/json")
                .post(CHAT).then().statusCode(400).contentType(startsWith("application/json")).extract().asByteArray();
        assertArrayEquals(Recording.load("error_prompt_too_long").body(), body);
    }

    @Test
    void backendBreakingOffItsErrorAnswerIs502InTheEnvelope() {
        backend.on("POST", CHAT, Reply.recording("error_prompt_too_long").closeAfter(0));
        given().body(Recording.requestBody("chat_basic")).contentType("application/json").post(CHAT).then()
                .statusCode(502)
                .body("error.code", equalTo("backend_unreachable"));
        backend.reset(); // the backend recovers; the gateway keeps serving
        given().body(Recording.requestBody("chat_basic")).contentType("application/json").post(CHAT).then()
                .statusCode(200);
    }

    @Test
    void bodiesThatAreNotAJsonObjectAre400AndNeverReachTheBackend() {
        for (String bad : new String[] {"{\"model\":", "[1,2]", "", "{\"stream\":\"yes\"}", "{\"model\":7}"}) {
            given().body(bad).contentType("application/json").post(CHAT).then()
                    .statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.code", equalTo("invalid_request_body"))
                    .body("error.param", equalTo(null));
        }
        assertTrue(backend.requests("POST", CHAT).isEmpty());
    }

    @Test
    void clientLeavingBeforeTheAnswerCancelsTheBackendRequest() throws Exception {
        backend.on("POST", CHAT, Reply.hold());
        try (RawHttp client = RawHttp.post(chat, Recording.requestBody("chat_basic"))) {
            backend.awaitRequest("POST", CHAT, Duration.ofSeconds(2));
        }
        ResponseLog log = backend.awaitResponse("POST", CHAT, Duration.ofSeconds(1));
        assertTrue(log.awaitClientGone(Duration.ofSeconds(1)), "backend request still open 1 s after the client left");
    }
}
