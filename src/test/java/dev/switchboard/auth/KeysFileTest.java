package dev.switchboard.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Recording;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Gateway keys from {@code switchboard.auth.keys-file}, a backend key, and the health endpoints behind the keys too:
 * the backend sees its own key, never the gateway's.
 */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(KeysFileTest.FileAndBackendKey.class)
class KeysFileTest extends FakeBackendTest {

    static final String FILE_KEY = "sk-gw-from-file-5be1";
    static final String COMMENTED_OUT = "sk-gw-retired-0c4d";

    public static class FileAndBackendKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("switchboard-keys", ".txt");
                file.toFile().deleteOnExit();
                Files.writeString(file, "# gateway keys, one per line\n\n  " + FILE_KEY + "  \r\n#" + COMMENTED_OUT
                        + "\n# " + COMMENTED_OUT + "\n", StandardCharsets.UTF_8);
                return Map.of("switchboard.auth.keys-file", file.toString(),
                        "switchboard.auth.protect-management", "true",
                        "switchboard.backend.api-key", "sk-backend-key");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void keyFromTheFileIsLetInAndTheBackendGetsItsOwnKey() {
        given().body(Recording.requestBody("chat_basic")).contentType("application/json")
                .header("Authorization", "Bearer " + FILE_KEY)
                .post("/v1/chat/completions").then().statusCode(200);
        assertEquals("Bearer sk-backend-key",
                backend.lastRequest("POST", "/v1/chat/completions").header("Authorization"));

        given().header("Authorization", "Bearer " + FILE_KEY).get("/v1/models").then().statusCode(200);
        assertEquals("Bearer sk-backend-key", backend.lastRequest("GET", "/v1/models").header("Authorization"));
    }

    @Test
    void commentsAreNotKeys() {
        for (String key : new String[] {COMMENTED_OUT, "#" + COMMENTED_OUT, "# gateway keys, one per line"}) {
            given().header("Authorization", "Bearer " + key).get("/v1/models").then().statusCode(401)
                    .body("error.code", equalTo("invalid_api_key"));
        }
        assertEquals(0, GatewayKeysTest.apiRequests(backend).size(), () -> "backend received " + backend.requests());
    }

    @Test
    void healthAndMetricsNeedAKeyWhenConfiguredSo() {
        given().get("/q/health/ready").then().statusCode(401).body("error.code", equalTo("missing_api_key"));
        given().get("/q/health/live").then().statusCode(401);
        given().header("Authorization", "Bearer sk-wrong").get("/q/health").then().statusCode(401)
                .body("error.code", equalTo("invalid_api_key"));
        given().header("Authorization", "Bearer " + FILE_KEY).get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"));
        given().header("Authorization", "Bearer " + FILE_KEY).get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(401).body("error.code", equalTo("missing_api_key"));
        given().header("Authorization", "Bearer " + FILE_KEY).get("/q/metrics").then().statusCode(200);
    }
}
