package dev.switchboard.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Nothing listens at the backend URL: every request is a 502, readiness is DOWN, liveness stays UP. */
@QuarkusTest
@TestProfile(UnreachableBackendTest.NoBackend.class)
class UnreachableBackendTest {

    public static class NoBackend implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.backend.url", "http://127.0.0.1:" + freePort() + "/v1");
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void chatIs502InTheEnvelope() {
        for (String body : new String[] {"{\"model\":\"m\",\"messages\":[]}", "{\"model\":\"m\",\"messages\":[],\"stream\":true}"}) {
            given().body(body).contentType("application/json").post("/v1/chat/completions").then()
                    .statusCode(502)
                    .contentType("application/json")
                    .body("error.type", equalTo("server_error"))
                    .body("error.code", equalTo("backend_unreachable"));
        }
    }

    @Test
    void modelsIs502() {
        given().get("/v1/models").then().statusCode(502).body("error.code", equalTo("backend_unreachable"));
    }

    @Test
    void readinessIsDownWithTheReasonLivenessIsUp() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks[0].status", equalTo("DOWN"))
                .body("checks[0].data.default", equalTo("down"))
                .body("checks[0].data.'default.reason'", startsWith("unreachable"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
