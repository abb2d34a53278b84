package dev.switchboard.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackend;
import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.RecordedRequest;
import dev.switchboard.testsupport.Recording;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/** Gateway keys from {@code switchboard.auth.api-keys}, no backend key: the backend sees no Authorization at all. */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(GatewayKeysTest.TwoKeys.class)
class GatewayKeysTest extends FakeBackendTest {

    static final String KEY = "sk-gw-first-3f9a1c";
    static final String OTHER_KEY = "sk-gw-second-77d2e0";

    public static class TwoKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // blanks and spaces around a key are ignored
            return Map.of("switchboard.auth.api-keys", KEY + ", ," + OTHER_KEY);
        }
    }

    @TestHTTPResource("/")
    URI base;

    /** What reached the backend's API; the gateway's own probes ({@code /health}, {@code /props}) are not counted. */
    static List<RecordedRequest> apiRequests(FakeBackend backend) {
        return backend.requests().stream().filter(r -> r.path().startsWith("/v1/")).toList();
    }

    private static String chat() {
        return new String(Recording.requestBody("chat_basic"), StandardCharsets.UTF_8);
    }

    private static ValidatableResponse postChat(String authorization) {
        var request = given().body(chat()).contentType("application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.post("/v1/chat/completions").then();
    }

    private static void isRefusal(ValidatableResponse response, String code) {
        response.statusCode(401)
                .contentType("application/json")
                .header("WWW-Authenticate", "Bearer")
                .body("error.type", equalTo("authentication_error"))
                .body("error.code", equalTo(code))
                .body("error.param", nullValue());
    }

    @Test
    void noKeyIs401AndNothingReachesTheBackend() {
        isRefusal(postChat(null), "missing_api_key");
        isRefusal(given().get("/v1/models").then(), "missing_api_key");
        isRefusal(given().get("/v1/models/tiny").then(), "missing_api_key");
        isRefusal(given().body("{}").post("/v1/embeddings").then(), "missing_api_key");
        assertTrue(apiRequests(backend).isEmpty(), () -> "backend received " + backend.requests());
    }

    @Test
    void wrongKeyOrAnotherSchemeIs401AndNothingReachesTheBackend() {
        String basic = "Basic " + Base64.getEncoder().encodeToString(("user:" + KEY).getBytes(StandardCharsets.UTF_8));
        for (String authorization : new String[] {"Bearer sk-wrong", basic, KEY, "Bearer", "Bearer ", "Bearer  ",
                "Bearer " + KEY + "x", "Bearer " + KEY.substring(1), "Bearer " + KEY.toUpperCase(),
                "Token " + KEY, "Bearer " + KEY + "," + OTHER_KEY}) {
            isRefusal(postChat(authorization), "invalid_api_key");
        }
        isRefusal(given().header("Authorization", "Bearer sk-wrong").get("/v1/models").then(), "invalid_api_key");
        assertTrue(apiRequests(backend).isEmpty(), () -> "backend received " + backend.requests());
    }

    @Test
    void theRefusalNeverRepeatsTheKey() {
        String body = postChat("Bearer sk-wrong-but-secret").statusCode(401).extract().asString();
        assertFalse(body.contains("sk-wrong-but-secret"), body);
    }

    @Test
    void rightKeyIsLetInAndTheBackendNeverSeesIt() {
        postChat("Bearer " + KEY).statusCode(200).body("object", equalTo("chat.completion"));
        assertNull(backend.lastRequest("POST", "/v1/chat/completions").header("Authorization"));

        given().body(Recording.requestBody("chat_stream")).contentType("application/json")
                .header("Authorization", "Bearer " + OTHER_KEY)
                .post("/v1/chat/completions").then().statusCode(200).contentType("text/event-stream");
        assertNull(backend.lastRequest("POST", "/v1/chat/completions").header("Authorization"));

        given().header("Authorization", "bearer  " + KEY).get("/v1/models").then().statusCode(200);
        assertNull(backend.lastRequest("GET", "/v1/models").header("Authorization"));
    }

    @Test
    void healthAndMetricsStayOpenByDefault() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void pathsOutsideTheApiNeedAKeyToo() {
        isRefusal(given().get("/nope").then(), "missing_api_key");
        isRefusal(given().get("/q/healthy").then(), "missing_api_key");
        given().header("Authorization", "Bearer " + KEY).get("/nope").then().statusCode(404);
    }

    @Test
    void aPathThatWalksOutOfHealthIsNoWayAround() throws Exception {
        try (HttpOnSocket http = new HttpOnSocket(base)) {
            for (String target : new String[] {"/q/health/../../v1/models", "/q/health/%2e%2e/%2e%2e/v1/models",
                    "/q/health/..%2f..%2fv1/models", "/q/metrics/../../v1/models"}) {
                HttpOnSocket.Answer answer = http.send("GET", target, "", null);
                assertTrue(answer.status() == 401 || answer.status() == 404, target + " -> " + answer);
            }
        }
        assertTrue(apiRequests(backend).isEmpty(), () -> "backend received " + backend.requests());
    }

    @Test
    void aRefusedRequestLeavesTheConnectionUsable() throws Exception {
        try (HttpOnSocket http = new HttpOnSocket(base)) {
            HttpOnSocket.Answer refused = http.send("POST", "/v1/chat/completions",
                    "Authorization: Bearer sk-wrong\r\n", chat());
            assertEquals(401, refused.status(), refused.toString());
            HttpOnSocket.Answer next = http.send("POST", "/v1/chat/completions",
                    "Authorization: Bearer " + KEY + "\r\n", chat());
            assertEquals(200, next.status(), next.toString());
        }
        assertEquals(1, apiRequests(backend).size(), () -> "backend received " + backend.requests());
    }
}
