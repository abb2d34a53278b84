package dev.switchboard.faults;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.SseClient;
import io.restassured.RestAssured;

/** What every fault test checks once the fault is over: nothing leaked upstream, and normal service. */
abstract class FaultTestBase extends FakeBackendTest {

    static final String CHAT = "/v1/chat/completions";
    /**
     * Connections to the fake that may stay open once a fault is over: the relay's pool keeps idle keep-alive
     * connections for up to 4 s (then closes them), the readiness probe's client keeps its own.
     */
    static final int IDLE_ALLOWED = 4;

    @BeforeEach
    void fakeNeverClosesIdleConnections() {
        // connections close only because the gateway closes them: what stays open is the gateway's doing
        backend.idleTimeout(Duration.ZERO);
    }

    /**
     * After a fault: no leak, and normal service. A leak is a backend exchange still in flight once its client's
     * request is over (a backend request the gateway neither read to the end nor reset: llama.cpp would keep its
     * slot), or more than {@link #IDLE_ALLOWED} connections to the backend still open once the pool's keep-alive
     * limit has passed (a connection the pool lost track of).
     */
    void afterFault() throws Exception {
        assertTrue(backend.awaitQuiet(IDLE_ALLOWED, Duration.ofSeconds(8)),
                () -> "leak: in flight " + backend.inFlight() + ", open connections " + backend.openConnections());
        backend.reset();
        backend.idleTimeout(Duration.ZERO);
        byte[] json = given().body(Recording.requestBody("chat_basic")).contentType("application/json").post(CHAT)
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(Recording.load("chat_basic").body(), json);
        URI chat = URI.create("http://localhost:" + RestAssured.port + CHAT);
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream"))) {
            assertArrayEquals(Recording.load("chat_stream").body(), concat(client.readAll()));
        }
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }
}
