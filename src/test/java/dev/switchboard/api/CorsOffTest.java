package dev.switchboard.api;

import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** CORS is off unless configured: a preflight gets no CORS header, so a browser refuses the cross-origin call. */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class CorsOffTest extends FakeBackendTest {

    @Test
    void preflightGetsNoCorsHeaders() {
        CorsTest.preflight(CorsTest.ORIGIN).options("/v1/chat/completions").then()
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Methods", nullValue())
                .header("Access-Control-Allow-Headers", nullValue());
        assertTrue(CorsTest.apiRequests(backend).isEmpty(), () -> "backend received " + backend.requests());
    }
}
