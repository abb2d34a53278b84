package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackend;
import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.RecordedRequest;
import dev.switchboard.testsupport.Recording;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.specification.RequestSpecification;

/**
 * CORS switched on with Quarkus's own settings, for one origin, with gateway keys on: a browser's preflight (which
 * never carries a key) is answered by Quarkus's CORS filter, and answers to that origin carry the CORS headers, the
 * 401 included, so the page can read why.
 */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(CorsTest.Enabled.class)
class CorsTest extends FakeBackendTest {

    static final String ORIGIN = "https://app.example";
    static final String KEY = "sk-gw-browser-app";

    public static class Enabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.cors.enabled", "true",
                    "quarkus.http.cors.origins", ORIGIN,
                    "switchboard.auth.api-keys", KEY);
        }
    }

    /** What reached the backend's API; the gateway's own probes ({@code /health}, {@code /props}) are not counted. */
    static List<RecordedRequest> apiRequests(FakeBackend backend) {
        return backend.requests().stream().filter(r -> r.path().startsWith("/v1/")).toList();
    }

    static RequestSpecification preflight(String origin) {
        return given().header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type");
    }

    @Test
    void preflightFromAnAllowedOriginGetsTheCorsHeaders() {
        preflight(ORIGIN).options("/v1/chat/completions").then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ORIGIN))
                .header("Access-Control-Allow-Methods", containsStringIgnoringCase("POST"))
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("authorization"));
        assertTrue(apiRequests(backend).isEmpty(), () -> "backend received " + backend.requests());
    }

    @Test
    void preflightFromAnotherOriginGetsNone() {
        preflight("https://elsewhere.example").options("/v1/chat/completions").then()
                .header("Access-Control-Allow-Origin", nullValue());
        assertTrue(apiRequests(backend).isEmpty(), () -> "backend received " + backend.requests());
    }

    @Test
    void answersToTheAllowedOriginCarryTheCorsHeadersTheRefusalToo() {
        given().header("Origin", ORIGIN).header("Authorization", "Bearer " + KEY)
                .body(Recording.requestBody("chat_basic")).contentType("application/json")
                .post("/v1/chat/completions").then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ORIGIN));
        given().header("Origin", ORIGIN)
                .body(Recording.requestBody("chat_basic")).contentType("application/json")
                .post("/v1/chat/completions").then()
                .statusCode(401)
                .header("Access-Control-Allow-Origin", equalTo(ORIGIN))
                .body("error.code", equalTo("missing_api_key"));
    }
}
