package dev.switchboard.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackends;
import dev.switchboard.testsupport.FakeBackendsResource;
import dev.switchboard.testsupport.FakeBackendsTest;
import dev.switchboard.testsupport.LogCapture;
import dev.switchboard.testsupport.RecordedRequest;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Fallback along a chain: the default route is {@code local} (llama.cpp, probed) then {@code zen} (cloud, probed at a
 * health URL of its own); the route {@code via-gone} tries {@code gone} (nothing listens) first, {@code via-impatient}
 * tries {@code impatient} (the local fake again, with a short idle timeout) first.
 * The first backend failing before its answer starts (refused, dropped connection, 5xx, 429, silence, loading)
 * sends the request on; a backend breaking off mid-stream does not. Each hop and its reason is in the access line.
 */
@QuarkusTest
@WithTestResource(FallbackTest.Backends.class)
class FallbackTest extends FakeBackendsTest {

    static final String LOCAL_CHAT = "/v1/chat/completions";
    static final String ZEN_CHAT = "/zen/v1/chat/completions";
    static final long BACKOFF_MS = 150;
    static final long IDLE_MS = 400;
    static final int THRESHOLD = 3;

    public static class Backends extends FakeBackendsResource {
        @Override
        protected FakeBackends create() {
            return new FakeBackends().llamaCpp("local").zen("zen");
        }

        @Override
        protected Map<String, String> config(FakeBackends fakes) {
            String zen = fakes.get("zen").baseUrl();
            return Map.ofEntries(
                    Map.entry("switchboard.backends.local.url", fakes.get("local").baseUrl() + "/v1"),
                    // local again, as another backend with a short idle timeout (a loaded machine may take longer
                    // than that for a first answer, so local itself keeps the default)
                    Map.entry("switchboard.backends.impatient.url", fakes.get("local").baseUrl() + "/v1"),
                    Map.entry("switchboard.backends.impatient.idle-timeout", IDLE_MS + "ms"),
                    Map.entry("switchboard.backends.zen.url", zen + "/zen/v1"),
                    Map.entry("switchboard.backends.zen.type", "openai"),
                    Map.entry("switchboard.backends.zen.health.url", zen + FakeBackends.ZEN_HEALTH),
                    Map.entry("switchboard.backends.gone.url", FakeBackends.refusedUrl() + "/v1"),
                    Map.entry("switchboard.backends.gone.type", "openai"),
                    Map.entry("switchboard.routes.via-gone.to", "gone,zen/glm-5.1"),
                    Map.entry("switchboard.routes.via-impatient.to", "impatient/tiny,zen"),
                    Map.entry("switchboard.default-route", "local,zen"),
                    Map.entry("switchboard.fallback.retries", "1"),
                    Map.entry("switchboard.fallback.backoff", BACKOFF_MS + "ms"),
                    Map.entry("switchboard.fallback.failure-threshold", String.valueOf(THRESHOLD)),
                    Map.entry("switchboard.fallback.open-duration", "5m"),
                    // probed at start and by the readiness check only, so a test decides when states change
                    Map.entry("switchboard.fallback.probe-interval", "1h"),
                    Map.entry("switchboard.models.ttl", "0s"));
        }
    }

    /** "tiny" is in no backend's list and no route: it takes the default route, local then zen. */
    static final byte[] CHAT = "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] STREAM = "{\"model\":\"tiny\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    final LogCapture log = new LogCapture("switchboard.access", "switchboard.routing");

    @TestHTTPResource("/v1/chat/completions")
    URI chat;

    /** Whether the gateway's log lines can be seen (not when the packaged app runs in its own process). */
    protected boolean seesLogs() {
        return true;
    }

    /**
     * Every test starts with each backend up and its circuit closed (state and circuits live as long as the app): the
     * readiness check probes afresh, and a success closes a circuit; a request naming one backend goes to it even
     * when its circuit is open.
     */
    @BeforeEach
    void everyBackendUpAndClosed() {
        given().get("/q/health/ready").then().statusCode(200);
        for (String backend : List.of("local", "zen")) {
            given().body("{\"model\":\"" + backend + "/warm-up\",\"messages\":[]}").contentType("application/json")
                    .post("/v1/chat/completions").then().statusCode(200);
        }
        fakes.reset();
        log.start();
    }

    @AfterEach
    void stopLog() {
        log.stop();
    }

    private void assertAccessLine(String... fragments) throws InterruptedException {
        if (seesLogs()) {
            log.lineWith(fragments);
        }
    }

    private static byte[] postChat(int status) {
        return given().body(CHAT).contentType("application/json").post("/v1/chat/completions")
                .then().statusCode(status).extract().asByteArray();
    }

    private int localPosts() {
        return fake("local").requests("POST", LOCAL_CHAT).size();
    }

    private int zenPosts() {
        return fake("zen").requests("POST", ZEN_CHAT).size();
    }

    @Test
    void withTheFirstBackendWellTheSecondGetsNothing() throws Exception {
        assertArrayEquals(Recording.load("chat_basic").body(), postChat(200));
        assertEquals(1, localPosts());
        assertEquals(0, zenPosts());
        assertAccessLine("model=tiny", "status=200", "backend=local");
        if (seesLogs()) {
            assertFalse(log.lineWith("model=tiny").contains("fallback="), log.lines().toString());
        }
    }

    @Test
    void aRefusedConnectionFallsBackToTheNextHop() throws Exception {
        given().body("{\"model\":\"via-gone\",\"messages\":[]}").contentType("application/json")
                .post("/v1/chat/completions").then().statusCode(200);
        // the hop's own model reaches zen
        assertEquals("{\"model\":\"glm-5.1\",\"messages\":[]}", fake("zen").lastRequest("POST", ZEN_CHAT).bodyString());
        assertAccessLine("model=via-gone", "status=200", "backend=zen", "fallback=[gone: unreachable");
    }

    @Test
    void aConnectionFailureIsRetriedAfterTheBackoffThenFallsBack() throws Exception {
        fake("local").on("POST", LOCAL_CHAT, Reply.drop());
        byte[] answer = postChat(200);
        assertArrayEquals(Recording.load("zen", "chat_glm_reasoning").body(), answer);
        List<RecordedRequest> tries = fake("local").requests("POST", LOCAL_CHAT);
        assertEquals(2, tries.size(), "one try and one retry: " + tries); // retries=1
        long gapMs = (tries.get(1).receivedNanos() - tries.get(0).receivedNanos()) / 1_000_000;
        assertTrue(gapMs >= BACKOFF_MS, "retried after " + gapMs + " ms, backoff is " + BACKOFF_MS);
        assertArrayEquals(CHAT, fake("zen").lastRequest("POST", ZEN_CHAT).body());
        assertAccessLine("model=tiny", "status=200", "backend=zen", "fallback=[local: unreachable");
        assertAccessLine("switchboard.routing", "retrying local in " + BACKOFF_MS + " ms");
    }

    @Test
    void aRetryThatSucceedsStaysOnTheSameBackend() throws Exception {
        fake("local").onSequence("POST", LOCAL_CHAT, Reply.drop(), Reply.recording("chat_basic"));
        assertArrayEquals(Recording.load("chat_basic").body(), postChat(200));
        assertEquals(2, localPosts());
        assertEquals(0, zenPosts());
        assertAccessLine("model=tiny", "status=200", "backend=local");
    }

    @Test
    void a5xxFallsBackAndTheNextBackendsAnswerIsRelayed() throws Exception {
        fake("local").on("POST", LOCAL_CHAT, Reply.status(500, "application/json",
                "{\"error\":{\"code\":500,\"message\":\"boom\",\"type\":\"server_error\"}}"));
        assertArrayEquals(Recording.load("zen", "chat_glm_reasoning").body(), postChat(200));
        assertEquals(1, localPosts());
        assertArrayEquals(CHAT, fake("zen").lastRequest("POST", ZEN_CHAT).body());
        assertAccessLine("model=tiny", "status=200", "backend=zen", "fallback=[local: answered HTTP 500]");
    }

    @Test
    void a429FallsBackAndOnTheLastHopIsRelayedWithItsRetryAfter() throws Exception {
        fake("local").on("POST", LOCAL_CHAT, Reply.recording("zen", "error_rate_limited"));
        postChat(200);
        assertEquals(1, localPosts());
        assertEquals(1, zenPosts());
        assertAccessLine("model=tiny", "status=200", "backend=zen", "fallback=[local: answered HTTP 429]");

        fake("zen").on("POST", ZEN_CHAT, Reply.recording("zen", "error_rate_limited"));
        given().body(CHAT).contentType("application/json").post("/v1/chat/completions").then()
                .statusCode(429).header("Retry-After", "12").body("error.type", equalTo("RateLimitError"));
    }

    @Test
    void silenceBeforeTheAnswerStartsFallsBackAfterTheIdleTimeout() throws Exception {
        fake("local").on("POST", LOCAL_CHAT, Reply.hold());
        // asking for usage itself: the body goes unchanged and the client gets every event of zen's stream
        byte[] sent = "{\"model\":\"via-impatient\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[]}"
                .getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        try (SseClient client = SseClient.post(chat, sent, "Content-Type", "application/json")) {
            assertEquals(200, client.response().statusCode());
            client.readAll();
            assertEquals(Recording.load("zen", "chat_glm_reasoning_stream_include_usage").eventCount(), client.events().size());
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs >= IDLE_MS, "fell back after " + tookMs + " ms, idle timeout is " + IDLE_MS);
        assertTrue(fake("local").awaitClientGone(Duration.ofSeconds(2)), "the silent request was not given up");
        assertEquals(1, localPosts()); // silence is not retried
        assertArrayEquals(sent, fake("zen").lastRequest("POST", ZEN_CHAT).body()); // the hop names no model
        assertAccessLine("model=via-impatient", "status=200", "backend=zen", "fallback=[impatient/tiny: no answer in time");
    }

    @Test
    void aBackendWhoseReadinessIsLoadingIsSkippedWithoutATry() throws Exception {
        fake("local").on("GET", "/health", Reply.recording("health_loading_503"));
        given().get("/q/health/ready").then().statusCode(200).body("checks[0].data.local", equalTo("loading"));
        postChat(200);
        assertEquals(0, localPosts());
        assertEquals(1, zenPosts());
        assertAccessLine("model=tiny", "status=200", "backend=zen", "fallback=[local: readiness loading: Loading model]");

        // with nothing to fall back on, it is tried anyway: the client gets its real answer
        given().body("{\"model\":\"local/tiny\",\"messages\":[]}").contentType("application/json")
                .post("/v1/chat/completions").then().statusCode(200);
        assertEquals(1, localPosts());
    }

    @Test
    void aBackendBreakingOffMidStreamEndsTheStreamWithAnErrorEventAndNoFallback() throws Exception {
        fake("local").on("POST", LOCAL_CHAT, Reply.closeAfterEvents(2));
        Recording recorded = Recording.load("chat_stream");
        try (SseClient client = SseClient.post(chat, STREAM, "Content-Type", "application/json")) {
            assertEquals(200, client.response().statusCode());
            List<byte[]> events = client.readAll();
            assertEquals(3, events.size(), "two events, then the error event");
            assertArrayEquals(recorded.events().get(0), events.get(0));
            assertArrayEquals(recorded.events().get(1), events.get(1));
            String last = new String(events.get(2), StandardCharsets.UTF_8);
            assertTrue(last.startsWith("data: {\"error\":"), last);
            assertTrue(last.contains("\"code\":\"backend_stream_interrupted\""), last);
        }
        assertEquals(1, localPosts());
        assertEquals(0, zenPosts(), "the answer had started: no fallback");
        assertAccessLine("model=tiny", "status=200", "backend=local");
        if (seesLogs()) {
            assertFalse(log.lineWith("model=tiny").contains("fallback="), log.lines().toString());
        }
    }

    @Test
    void afterThresholdFailuresTheCircuitOpensAndTheBackendGetsNoMoreAttempts() throws Exception {
        fake("local").on("POST", LOCAL_CHAT, Reply.status(500, "text/plain", "boom"));
        for (int i = 1; i <= THRESHOLD; i++) {
            postChat(200);
            assertEquals(i, localPosts());
            assertEquals(i, zenPosts());
        }
        for (int i = 1; i <= 2; i++) {
            postChat(200);
            assertEquals(THRESHOLD, localPosts(), "local's circuit is open: it is skipped at once");
            assertEquals(THRESHOLD + i, zenPosts());
        }
        assertAccessLine("model=tiny", "backend=zen", "fallback=[local: circuit open after repeated failures]");

        // a request naming local alone still goes there (nothing to fall back on), and its success closes the circuit
        fake("local").reset();
        given().body("{\"model\":\"local/tiny\",\"messages\":[]}").contentType("application/json")
                .post("/v1/chat/completions").then().statusCode(200);
        postChat(200);
        assertEquals(2, localPosts());
        assertEquals(THRESHOLD + 2, zenPosts());
    }

    @Test
    void readinessReportsEachBackendAndIsUpWhileTheDefaultRouteHasOneUp() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].data.local", equalTo("up"))
                .body("checks[0].data.zen", equalTo("up"))
                .body("checks[0].data.'zen.url'", equalTo(fake("zen").baseUrl() + FakeBackends.ZEN_HEALTH))
                .body("checks[0].data.gone", equalTo("up"))
                .body("checks[0].data.'gone.probe'", equalTo("disabled"));

        fake("local").on("GET", "/health", Reply.recording("health_loading_503"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].data.local", equalTo("loading"))
                .body("checks[0].data.'local.reason'", equalTo("Loading model"));

        fake("zen").on("GET", FakeBackends.ZEN_HEALTH, Reply.status(500, "text/plain", "down"));
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks[0].data.local", equalTo("loading"))
                .body("checks[0].data.zen", equalTo("down"))
                .body("checks[0].data.'zen.reason'", startsWith("backend health answered HTTP 500"));

        fake("local").on("GET", "/health", Reply.recording("health_ready"));
        given().get("/q/health/ready").then().statusCode(200).body("checks[0].data.local", equalTo("up"));
    }
}
