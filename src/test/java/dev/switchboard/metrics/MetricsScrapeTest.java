package dev.switchboard.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.Scrape;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** What {@code /q/metrics} shows of relayed requests, scraped as Prometheus would. */
@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class MetricsScrapeTest extends FakeBackendTest {

    private static final String CHAT = "/v1/chat/completions";
    private static final String REQUESTS = "switchboard_requests_total";

    @TestHTTPResource(CHAT)
    URI chat;

    private static String[] tags(String backend, String status, boolean stream) {
        return new String[] {"backend", backend, "endpoint", "chat.completions", "status", status,
                "stream", Boolean.toString(stream)};
    }

    private static void postChat(String body, int status) {
        given().body(body).contentType("application/json").post(CHAT).then().statusCode(status);
    }

    private static String chatBasic() {
        return new String(Recording.requestBody("chat_basic"), StandardCharsets.UTF_8);
    }

    @Test
    void requestsAreCountedByBackendEndpointStatusAndStream() throws Exception {
        Scrape before = Scrape.now();
        double json = before.sum(REQUESTS, tags("default", "200", false));
        double stream = before.sum(REQUESTS, tags("default", "200", true));
        double invalid = before.sum(REQUESTS, tags("none", "400", false));

        postChat(chatBasic(), 200);
        postChat(new String(Recording.requestBody("chat_stream"), StandardCharsets.UTF_8), 200);
        postChat("{\"model\":\"tiny\"}", 400); // no messages: Switchboard answers itself

        Scrape after = Scrape.await(v -> v > invalid, REQUESTS, tags("none", "400", false));
        assertEquals(json + 1, after.sum(REQUESTS, tags("default", "200", false)));
        assertEquals(stream + 1, after.sum(REQUESTS, tags("default", "200", true)));
        assertEquals(invalid + 1, after.sum(REQUESTS, tags("none", "400", false)));
    }

    @Test
    void durationAndTimeToFirstTokenAreHistogramsWithBuckets() throws Exception {
        String[] json = {"backend", "default", "endpoint", "chat.completions", "stream", "false"};
        String[] stream = {"backend", "default", "endpoint", "chat.completions", "stream", "true"};
        String duration = "switchboard_request_duration_seconds";
        String ttft = "switchboard_time_to_first_token_seconds";
        double durations = Scrape.now().sum(duration + "_count", json);
        double firstTokens = Scrape.now().sum(ttft + "_count", stream);

        postChat(chatBasic(), 200);
        postChat(new String(Recording.requestBody("chat_stream"), StandardCharsets.UTF_8), 200);

        Scrape after = Scrape.await(v -> v > firstTokens, ttft + "_count", stream);
        assertEquals(durations + 1, after.sum(duration + "_count", json));
        assertEquals(firstTokens + 1, after.sum(ttft + "_count", stream));
        assertTrue(after.sum(duration + "_sum", json) > 0);
        for (String histogram : List.of(duration, ttft)) {
            List<String> les = after.find(histogram + "_bucket", stream).stream().map(s -> s.labels().get("le")).toList();
            assertTrue(les.containsAll(List.of("0.05", "1.0", "300.0", "+Inf")), histogram + ": " + les);
            // cumulative buckets: +Inf holds every request
            assertEquals(after.sum(histogram + "_count", stream),
                    after.sum(histogram + "_bucket", concat(stream, "le", "+Inf")));
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void inFlightRequestsAndOpenStreamsAreGauges() throws Exception {
        double inFlight = Scrape.now().sum("switchboard_requests_in_flight");
        double open = Scrape.now().sum("switchboard_streams_open");
        backend.on("POST", CHAT, Reply.headersThenHang(2));

        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream"))) {
            client.next();
            client.next();
            Scrape during = Scrape.now();
            assertEquals(inFlight + 1, during.sum("switchboard_requests_in_flight"));
            assertEquals(open + 1, during.sum("switchboard_streams_open"));
        }
        Scrape after = Scrape.await(v -> v == open, "switchboard_streams_open");
        assertEquals(open, after.sum("switchboard_streams_open"));
        assertEquals(inFlight, Scrape.await(v -> v == inFlight, "switchboard_requests_in_flight")
                .sum("switchboard_requests_in_flight"));
    }

    @Test
    void backendReadinessIsOneForAnUpBackendEvenAfterAGarbageCollection() throws Exception {
        // a gauge whose state Micrometer holds only weakly turns NaN once collected
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Scrape scrape = Scrape.await(v -> v == 1.0, "switchboard_backend_ready", "backend", "default");
        assertEquals(1, scrape.find("switchboard_backend_ready", "backend", "default").size(), scrape.text());
        assertEquals(1.0, scrape.sum("switchboard_backend_ready", "backend", "default"));
    }

    @Test
    void generationSpeedIsTakenFromLlamaCppTimings() throws Exception {
        String[] tags = {"backend", "default", "model", "other"};
        String count = "switchboard_generation_speed_tokens_per_second_count";
        double before = Scrape.now().sum(count, tags);
        double sumBefore = Scrape.now().sum("switchboard_generation_speed_tokens_per_second_sum", tags);

        postChat(chatBasic(), 200);

        Scrape after = Scrape.await(v -> v > before, count, tags);
        assertEquals(before + 1, after.sum(count, tags));
        double speed = new io.vertx.core.json.JsonObject(Recording.load("chat_basic").bodyString())
                .getJsonObject("timings").getDouble("predicted_per_second");
        assertEquals(sumBefore + speed, after.sum("switchboard_generation_speed_tokens_per_second_sum", tags), 1e-6);
    }

    @Test
    void aModelOutsideTheKnownListIsTaggedOtherAndNeverAppears() throws Exception {
        String[] other = {"backend", "default", "model", "other", "kind", "prompt"};
        double before = Scrape.now().sum("switchboard_tokens_total", other);

        postChat(chatBasic().replace("\"model\":\"tiny\"", "\"model\":\"random-xyz-123\""), 200);

        assertEquals("random-xyz-123", backend.lastRequest("POST", CHAT).bodyJson().getString("model"));
        Scrape after = Scrape.await(v -> v > before, "switchboard_tokens_total", other);
        assertTrue(after.sum("switchboard_tokens_total", other) > before);
        assertFalse(after.text().contains("random-xyz-123"), "a client's model name became a tag value");
    }

    @Test
    void aModelTheBackendListsKeepsItsName() throws Exception {
        String[] named = {"backend", "default", "model", "tiny-qwen25-tools", "kind", "prompt"};
        double before = Scrape.now().sum("switchboard_tokens_total", named);
        given().get("/v1/models").then().statusCode(200); // the list is fetched

        postChat(chatBasic().replace("\"model\":\"tiny\"", "\"model\":\"tiny-qwen25-tools\""), 200);

        assertTrue(Scrape.await(v -> v > before, "switchboard_tokens_total", named)
                .sum("switchboard_tokens_total", named) > before);
    }
}
