package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Recording;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With BACKEND_API_KEY set, the backend sees that key, never the client's. */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(BackendKeyTest.WithKey.class)
class BackendKeyTest extends FakeBackendTest {

    public static class WithKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.backend.api-key", "sk-backend-key");
        }
    }

    @Test
    void backendKeyReplacesTheClientsAuthorization() {
        given().body(Recording.requestBody("chat_basic")).contentType("application/json")
                .header("Authorization", "Bearer client-key")
                .post("/v1/chat/completions").then().statusCode(200);
        assertEquals("Bearer sk-backend-key", backend.lastRequest("POST", "/v1/chat/completions").header("Authorization"));

        given().body(Recording.requestBody("chat_stream")).contentType("application/json")
                .post("/v1/chat/completions").then().statusCode(200);
        assertEquals("Bearer sk-backend-key", backend.lastRequest("POST", "/v1/chat/completions").header("Authorization"));

        given().header("Authorization", "Bearer client-key").get("/v1/models").then().log().ifValidationFails().statusCode(200);
        assertEquals("Bearer sk-backend-key", backend.lastRequest("GET", "/v1/models").header("Authorization"));
    }
}
