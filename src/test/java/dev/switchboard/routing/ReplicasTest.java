package dev.switchboard.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackend;
import dev.switchboard.testsupport.FakeBackends;
import dev.switchboard.testsupport.FakeBackendsResource;
import dev.switchboard.testsupport.FakeBackendsTest;
import dev.switchboard.testsupport.LogCapture;
import dev.switchboard.testsupport.RecordedRequest;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.ResponseLog;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Replicas: {@code local} has two URLs (the fakes {@code local} and {@code local2}, two slots each by their
 * {@code /props}); {@code single} is one llama.cpp whose {@code /props} reports one slot and whose queue time is short;
 * {@code pair} is the two fakes again, {@code local2} first, for the circuit of one replica. The route {@code overflow}
 * tries {@code single}, then {@code local}.
 */
@QuarkusTest
@WithTestResource(ReplicasTest.Backends.class)
class ReplicasTest extends FakeBackendsTest {

    static final String CHAT = "/v1/chat/completions";
    static final long QUEUE_MS = 800;
    static final int THRESHOLD = 2;

    public static class Backends extends FakeBackendsResource {
        @Override
        protected FakeBackends create() {
            return new FakeBackends().llamaCpp("local").llamaCpp("local2").llamaCpp("single", 1);
        }

        @Override
        protected Map<String, String> config(FakeBackends fakes) {
            String local = fakes.get("local").baseUrl() + "/v1";
            String local2 = fakes.get("local2").baseUrl() + "/v1";
            return Map.ofEntries(
                    Map.entry("switchboard.backends.local.url", local + "," + local2),
                    Map.entry("switchboard.backends.single.url", fakes.get("single").baseUrl() + "/v1"),
                    Map.entry("switchboard.backends.single.queue-timeout", QUEUE_MS + "ms"),
                    Map.entry("switchboard.backends.pair.url", local2 + "," + local),
                    Map.entry("switchboard.routes.overflow.to", "single/tiny,local/tiny"),
                    Map.entry("switchboard.default-route", "local"),
                    Map.entry("switchboard.fallback.retries", "1"),
                    Map.entry("switchboard.fallback.backoff", "50ms"),
                    Map.entry("switchboard.fallback.failure-threshold", String.valueOf(THRESHOLD)),
                    Map.entry("switchboard.fallback.open-duration", "5m"),
                    Map.entry("switchboard.fallback.probe-interval", "1h"),
                    Map.entry("switchboard.models.ttl", "0s"));
        }
    }

    /** Held by the fakes: the head and one event, then nothing until the client leaves. */
    static final byte[] HOLD = "{\"model\":\"tiny\",\"stream\":true,\"user\":\"hold\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

    final LogCapture log = new LogCapture("switchboard.access");

    @TestHTTPResource("/v1/chat/completions")
    URI chat;

    protected boolean seesLogs() {
        return true;
    }

    @BeforeEach
    void holdWhatAsksToBeHeld() {
        given().get("/q/health/ready").then().statusCode(200); // probes afresh: every replica up
        for (FakeBackend fake : fakes.all().values()) {
            fake.on("POST", CHAT, r -> r.bodyString().contains("\"user\":\"hold\"") ? Reply.headersThenHang(1)
                    : r.bodyString().contains("\"stream\":true") ? Reply.recording("chat_stream") : Reply.recording("chat_basic"));
        }
        log.start();
    }

    @AfterEach
    void stopLog() {
        log.stop();
    }

    private SseClient hold(String model) throws Exception {
        byte[] body = new String(HOLD, StandardCharsets.UTF_8).replace("\"tiny\"", "\"" + model + "\"").getBytes(StandardCharsets.UTF_8);
        SseClient held = SseClient.post(chat, body, "Content-Type", "application/json");
        assertEquals(200, held.response().statusCode());
        held.next(); // the answer is on its way: the request holds its slot
        return held;
    }

    private static byte[] chat(String model) {
        return ("{\"model\":\"" + model + "\",\"messages\":[]}").getBytes(StandardCharsets.UTF_8);
    }

    private int posts(String fake) {
        return fake(fake).requests("POST", CHAT).size();
    }

    @Test
    void aRequestGoesToTheReplicaWithTheFewestInFlight() throws Exception {
        try (SseClient held = hold("tiny")) {
            String busy = posts("local") == 1 ? "local" : "local2";
            String idle = busy.equals("local") ? "local2" : "local";
            assertEquals(1, posts(busy) + posts(idle));
            // in turn would send one of these to the busy replica; fewest in flight sends every one to the other
            for (int i = 1; i <= 3; i++) {
                given().body(chat("tiny")).contentType("application/json").post(CHAT).then().statusCode(200);
                assertEquals(i, posts(idle), "request " + i + " went to " + (posts(busy) > 1 ? busy : "?"));
                assertEquals(1, posts(busy));
            }
        }
    }

    @Test
    void withEverySlotBusyARequestWaitsTheQueueTimeThenGets429WithRetryAfter() throws Exception {
        // single's /props says total_slots 1 (no slots in its config): one request in flight fills it
        try (SseClient held = hold("single/tiny")) {
            long start = System.nanoTime();
            given().body(chat("single/tiny")).contentType("application/json").post(CHAT).then()
                    .statusCode(429)
                    .header("Retry-After", notNullValue())
                    .body("error.type", equalTo("rate_limit_error"))
                    .body("error.code", equalTo("backend_busy"));
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMs >= QUEUE_MS, "429 after " + waitedMs + " ms, queue timeout is " + QUEUE_MS);
            assertEquals(1, posts("single"), "the queued request never reached the backend");
        }
    }

    @Test
    void aQueuedRequestProceedsWhenTheSlotFrees() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> queued;
        try (SseClient held = hold("single/tiny")) {
            queued = http.sendAsync(HttpRequest.newBuilder(chat).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(chat("single/tiny"))).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(QUEUE_MS / 4);
            assertEquals(1, posts("single"), "the second request waits for the slot");
        } // the client leaves: the gateway gives up the held request and its slot
        HttpResponse<String> answer = queued.get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        List<RecordedRequest> arrived = fake("single").requests("POST", CHAT);
        assertEquals(2, arrived.size());
        ResponseLog first = fake("single").responses().stream().filter(r -> r.request().path().equals(CHAT)).findFirst().orElseThrow();
        assertTrue(first.connectionClosedBeforeEnd(), "the held request was given up");
        assertTrue(arrived.get(1).receivedNanos() >= first.clientGoneNanos(), "the queued request went on only once the slot was free");
    }

    @Test
    void aFullBackendFallsBackToTheNextHopOnceItsQueueTimeIsUp() throws Exception {
        try (SseClient held = hold("single/tiny")) {
            long start = System.nanoTime();
            given().body(chat("overflow")).contentType("application/json").post(CHAT).then().statusCode(200);
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waitedMs >= QUEUE_MS, "fell back after " + waitedMs + " ms, queue timeout is " + QUEUE_MS);
            assertEquals(1, posts("single"));
            assertEquals(1, posts("local") + posts("local2"));
            if (seesLogs()) {
                log.lineWith("model=overflow", "status=200", "backend=local", "fallback=[single/tiny: every slot stayed busy");
            }
        }
    }

    @Test
    void aLoadingReplicaIsSkippedAndItsBackendStaysUp() {
        fake("local2").on("GET", "/health", Reply.recording("health_loading_503"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks[0].data.local", equalTo("up"))
                .body("checks[0].data.'local.0.url'", equalTo(fake("local").baseUrl() + "/health"))
                .body("checks[0].data.'local.1.url'", equalTo(fake("local2").baseUrl() + "/health"))
                .body("checks[0].data.'local.1.reason'", equalTo("Loading model"));
        for (int i = 1; i <= 3; i++) {
            given().body(chat("tiny")).contentType("application/json").post(CHAT).then().statusCode(200);
            assertEquals(i, posts("local"));
        }
        assertEquals(0, posts("local2"));

        // both loading: the default route has nothing up
        fake("local").on("GET", "/health", Reply.recording("health_loading_503"));
        given().get("/q/health/ready").then().statusCode(503).body("checks[0].data.local", equalTo("loading"));
    }

    @Test
    void aDeadReplicaIsSkippedOnceItsCircuitOpensAndRequestsGoToTheOther() throws Exception {
        // pair's first replica (the local2 fake) drops every request; its second (the local fake) answers
        fake("local2").on("POST", CHAT, Reply.drop());
        for (int i = 1; i <= 6; i++) {
            given().body(chat("pair/tiny")).contentType("application/json").post(CHAT).then()
                    .statusCode(200);
            assertEquals(i, posts("local"), "request " + i);
        }
        assertEquals(THRESHOLD, posts("local2"), "after " + THRESHOLD + " failures the dead replica gets no more tries");
    }
}
