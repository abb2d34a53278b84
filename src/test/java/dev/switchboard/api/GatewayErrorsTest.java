package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(GatewayErrorsTest.SmallBodies.class)
class GatewayErrorsTest extends FakeBackendTest {

    public static class SmallBodies implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.max-body-size", "1000");
        }
    }

    @TestHTTPResource("/v1/completions")
    URI completions;

    @Test
    void unknownPathIs404InTheEnvelope() {
        for (String path : new String[] {"/v1/nope", "/nope", "/v2/chat/completions"}) {
            given().get(path).then().statusCode(404)
                    .contentType("application/json")
                    .body("error.type", equalTo("not_found_error"))
                    .body("error.code", equalTo("unknown_url"))
                    .body("error.message", containsString(path));
        }
        given().body("{}").post("/v1/nope").then().statusCode(404).body("error.code", equalTo("unknown_url"));
    }

    @Test
    void wrongMethodIs405InTheEnvelope() {
        given().get("/v1/chat/completions").then().statusCode(405)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("method_not_allowed"));
        given().body("{}").post("/v1/models").then().statusCode(405).body("error.code", equalTo("method_not_allowed"));
    }

    @Test
    void chunkedBodyOverTheLimitIs413InTheEnvelopeToo() throws Exception {
        byte[] big = ("{\"model\":\"tiny\",\"prompt\":\"" + "a".repeat(5000) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(completions)
                .header("Content-Type", "application/json")
                // no length up front: the JDK client sends it chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("\"code\":\"request_too_large\""), response.body());
        assertTrue(backend.requests("POST", "/v1/completions").isEmpty());
    }

    @Test
    void bodyOverTheLimitIs413AndNeverReachesTheBackend() {
        String big = "{\"model\":\"tiny\",\"prompt\":\"" + "a".repeat(2000) + "\"}";
        given().body(big).contentType("application/json").post("/v1/completions").then().statusCode(413)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("request_too_large"));
        assertTrue(backend.requests("POST", "/v1/completions").isEmpty());
        // and the gateway keeps serving
        given().body("{\"model\":\"tiny\",\"prompt\":\"hi\"}").contentType("application/json")
                .post("/v1/completions").then().statusCode(200);
    }
}
