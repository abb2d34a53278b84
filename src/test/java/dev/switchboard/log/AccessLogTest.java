package dev.switchboard.log;

import static io.restassured.RestAssured.given;
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
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Recording;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class AccessLogTest extends FakeBackendTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record.getParameters() == null ? record.getMessage()
                    : String.format(record.getMessage(), record.getParameters());
            lines.add(message);
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
        Logger.getLogger("switchboard.access").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("switchboard.access").removeHandler(capture);
    }

    private String lineFor(String fragment) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            for (String line : lines) {
                if (line.contains(fragment)) {
                    return line;
                }
            }
            Thread.sleep(20); // the line is written when the response ends, just after the client has it
        }
        throw new AssertionError("no access line with '" + fragment + "' in " + lines);
    }

    @Test
    void oneLinePerRequestWithModelStreamStatusDurationAndBytes() throws Exception {
        given().body(Recording.requestBody("chat_stream")).contentType("application/json")
                .header("Authorization", "Bearer sk-secret-client-key")
                .header("X-Request-Id", "trace-42")
                .post("/v1/chat/completions").then().statusCode(200);
        String line = lineFor("POST /v1/chat/completions");
        assertTrue(line.contains("model=tiny stream=true status=200"), line);
        assertTrue(line.matches(".*duration=\\d+\\.\\d{3}ms bytes=[1-9]\\d* id=trace-42 backend=default"), line);

        given().get("/v1/nope").then().statusCode(404);
        assertTrue(lineFor("GET /v1/nope").contains("status=404"));

        for (String l : lines) {
            assertFalse(l.contains("sk-secret"), l);
        }
    }
}
