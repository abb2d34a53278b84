package dev.switchboard.auth;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Recording;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The access log names the gateway key by its fingerprint and never shows a key. In-process only (it listens to the
 * logger), so it has no *IT twin.
 */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(GatewayKeysTest.TwoKeys.class)
class KeyAccessLogTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getParameters() == null ? record.getMessage()
                    : String.format(record.getMessage(), record.getParameters()));
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
        Logger.getLogger("dev.switchboard").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("switchboard.access").removeHandler(capture);
        Logger.getLogger("dev.switchboard").removeHandler(capture);
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

    private static String fingerprint(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 8);
    }

    @Test
    void theLineShowsTheKeysFingerprintAndNeverAKey() throws Exception {
        given().body(Recording.requestBody("chat_stream")).contentType("application/json")
                .header("Authorization", "Bearer " + GatewayKeysTest.KEY)
                .post("/v1/chat/completions").then().statusCode(200);
        assertTrue(lineFor("POST /v1/chat/completions ")
                .contains("key=" + fingerprint(GatewayKeysTest.KEY) + " model=tiny stream=true status=200"));

        given().header("Authorization", "Bearer " + GatewayKeysTest.OTHER_KEY).get("/v1/models")
                .then().statusCode(200);
        assertTrue(lineFor("GET /v1/models ").contains("key=" + fingerprint(GatewayKeysTest.OTHER_KEY) + " "));

        given().header("Authorization", "Bearer sk-wrong-secret").get("/v1/models/tiny").then().statusCode(401);
        assertTrue(lineFor("GET /v1/models/tiny ").contains("key=- model=- stream=- status=401"));
        given().get("/v1/embeddings-without-key").then().statusCode(401);
        assertTrue(lineFor("GET /v1/embeddings-without-key ").contains("key=-"));

        for (String line : lines) {
            assertFalse(line.contains(GatewayKeysTest.KEY), line);
            assertFalse(line.contains(GatewayKeysTest.OTHER_KEY), line);
            assertFalse(line.contains("sk-wrong-secret"), line);
        }
    }
}
