package dev.switchboard.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Reply;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class BackendReadinessCheckTest extends FakeBackendTest {

    @Test
    void readyWhenTheBackendHealthAnswers200() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].name", equalTo("backends"))
                .body("checks[0].data.default", equalTo("up"))
                .body("checks[0].data.'default.url'", equalTo(backend.baseUrl() + "/health"));
    }

    @Test
    void notReadyWhileTheModelLoadsAndReadyOnceLoaded() {
        backend.on("GET", "/health", Reply.recording("health_loading_503"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks[0].data.default", equalTo("loading"))
                .body("checks[0].data.'default.reason'", equalTo("Loading model"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        backend.on("GET", "/health", Reply.recording("health_ready"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void notReadyWhenTheBackendIsTooSlow() {
        backend.on("GET", "/health", Reply.recording("health_ready").headDelay(Duration.ofSeconds(4)));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks[0].data.'default.reason'", equalTo("no answer in time"));
    }

    @Test
    void notReadyWhenHealthAnswersSomethingElse() {
        backend.on("GET", "/health", Reply.status(500, "text/plain", "boom"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks[0].data.default", equalTo("down"))
                .body("checks[0].data.'default.reason'", startsWith("backend health answered HTTP 500"));
    }
}
