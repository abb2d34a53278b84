package dev.switchboard.log;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.LogCapture;
import dev.switchboard.testsupport.Recording;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class AccessLogTest extends FakeBackendTest {

    private final LogCapture log = new LogCapture("switchboard.access");

    @BeforeEach
    void listen() {
        log.start();
    }

    @AfterEach
    void stop() {
        log.stop();
    }

    @Test
    void oneLinePerRequestWithModelStreamStatusDurationAndBytes() throws Exception {
        given().body(Recording.requestBody("chat_stream")).contentType("application/json")
                .header("Authorization", "Bearer sk-secret-client-key")
                .header("X-Request-Id", "trace-42")
                .post("/v1/chat/completions").then().statusCode(200);
        String line = log.lineWith("POST /v1/chat/completions");
        assertTrue(line.contains("model=tiny stream=true status=200"), line);
        assertTrue(line.matches(".*duration=\\d+\\.\\d{3}ms bytes=[1-9]\\d* id=trace-42 backend=default"), line);

        given().get("/v1/nope").then().statusCode(404);
        assertTrue(log.lineWith("GET /v1/nope").contains("status=404"));

        for (String l : log.lines()) {
            assertFalse(l.contains("sk-secret"), l);
        }
    }
}
