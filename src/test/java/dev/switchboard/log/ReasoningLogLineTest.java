package dev.switchboard.log;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeZenResource;
import dev.switchboard.testsupport.Recording;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The {@code switchboard.reasoning} line: request id and reasoning length, not the text (INFO). Captured in-process,
 * like {@link AccessLogTest}, so there is no packaged-app variant.
 */
@QuarkusTest
@WithTestResource(FakeZenResource.class)
class ReasoningLogLineTest extends FakeBackendTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger("switchboard.reasoning").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("switchboard.reasoning").removeHandler(capture);
    }

    private String lineFor(String fragment) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            for (String line : lines) {
                if (line.contains(fragment)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no reasoning line with '" + fragment + "' in " + lines);
    }

    @Test
    void anAnswersReasoningIsLoggedWithTheRequestIdAndItsLength() throws Exception {
        String reasoning = new JsonObject(Recording.load("zen", "chat_glm_reasoning").bodyString())
                .getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("reasoning_content");
        given().body("{\"model\":\"glm-5.1\",\"messages\":[]}").contentType("application/json")
                .header("X-Request-Id", "reason-41").post("/v1/chat/completions").then().statusCode(200);

        String line = lineFor("request=reason-41");
        assertEquals("request=reason-41 backend=default model=glm-5.1 reasoning_chars="
                + reasoning.codePointCount(0, reasoning.length()), line);
        assertFalse(line.contains(reasoning), "the text is logged only at DEBUG");
    }

    @Test
    void aStreamsReasoningIsLoggedWithAGeneratedRequestIdAndItsLength() throws Exception {
        StringBuilder reasoning = new StringBuilder();
        for (byte[] event : Recording.load("zen", "chat_glm_reasoning_stream_include_usage").events()) {
            String data = new String(event, java.nio.charset.StandardCharsets.UTF_8).substring("data: ".length()).trim();
            if (!data.equals("[DONE]") && !new JsonObject(data).getJsonArray("choices").isEmpty()
                    && new JsonObject(data).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                            .getValue("reasoning_content") instanceof String r) {
                reasoning.append(r);
            }
        }
        assertTrue(reasoning.length() > 0);
        String id = given().body("{\"model\":\"glm-5.1\",\"stream\":true,\"messages\":[]}")
                .contentType("application/json").post("/v1/chat/completions").then().statusCode(200)
                .extract().header("X-Request-Id");

        assertEquals("request=" + id + " backend=default model=glm-5.1 reasoning_chars="
                + reasoning.codePoints().count(), lineFor("request=" + id));
    }
}
