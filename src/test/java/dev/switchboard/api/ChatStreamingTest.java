package dev.switchboard.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.RawHttp;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.ResponseLog;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(FakeLlamaCppResource.class)
class ChatStreamingTest extends FakeBackendTest {

    private static final String CHAT = "/v1/chat/completions";

    @TestHTTPResource(CHAT)
    URI chat;

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }

    @Test
    void streamArrivesByteForByteWithStreamingHeaders() throws Exception {
        Recording recorded = Recording.load("chat_stream");
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream"),
                "Content-Type", "application/json", "Accept", "text/event-stream")) {
            assertEquals(200, client.response().statusCode());
            var headers = client.response().headers();
            assertEquals("text/event-stream", headers.firstValue("Content-Type").orElseThrow());
            assertEquals("no-cache", headers.firstValue("Cache-Control").orElseThrow());
            assertEquals("no", headers.firstValue("X-Accel-Buffering").orElseThrow());
            List<byte[]> events = client.readAll();
            assertArrayEquals(recorded.body(), concat(events));
            assertEquals("data: [DONE]\n\n", new String(events.get(events.size() - 1), StandardCharsets.UTF_8));
        }
    }

    @Test
    void bodyWithStreamTrueStreamsWithoutAnAcceptHeader() throws Exception {
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream"))) {
            assertEquals("text/event-stream", client.response().headers().firstValue("Content-Type").orElseThrow());
            assertArrayEquals(Recording.load("chat_stream").body(), concat(client.readAll()));
        }
    }

    @Test
    void eachEventReachesTheClientBeforeTheBackendSendsTheNext() throws Exception {
        backend.on("POST", CHAT, Reply.recording("chat_stream").eventDelay(Duration.ofMillis(150)));
        SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream"));
        try (client) {
            client.readAll();
        }
        List<Long> written = backend.lastResponse("POST", CHAT).eventWriteNanos();
        assertEquals(Recording.load("chat_stream").eventCount(), written.size());
        assertEquals(written.size(), client.events().size());
        for (int i = 0; i + 1 < written.size(); i++) {
            long early = written.get(i + 1) - client.arrivalNanos(i);
            assertTrue(early > 0, "event " + i + " reached the client " + -early / 1_000_000
                    + " ms after the backend wrote event " + (i + 1));
        }
    }

    @Test
    void midStreamErrorEventReachesTheClientUnchanged() throws Exception {
        backend.on("POST", CHAT, Reply.recording("error_chat_stream_midstream_parse_failure"));
        Recording recorded = Recording.load("error_chat_stream_midstream_parse_failure");
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream_error_midstream"))) {
            assertEquals(200, client.response().statusCode());
            List<byte[]> events = client.readAll();
            assertArrayEquals(recorded.body(), concat(events));
            String last = new String(events.get(events.size() - 1), StandardCharsets.UTF_8);
            assertTrue(last.startsWith("data: {\"error\":"), last);
        }
    }

    @Test
    void streamRefusedBeforeStreamingKeepsTheBackendStatusAndJsonBody() throws Exception {
        backend.on("POST", CHAT, Reply.recording("error_prompt_too_long_stream"));
        try (SseClient client = SseClient.post(chat, Recording.requestBody("error_prompt_too_long_stream.json"))) {
            assertEquals(400, client.response().statusCode());
            assertTrue(client.response().headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
            byte[] body = client.response().body().readAllBytes();
            assertArrayEquals(Recording.load("error_prompt_too_long_stream").body(), body);
        }
    }

    @Test
    void toolCallDeltasStreamUnchanged() throws Exception {
        backend.on("POST", CHAT, Reply.recording("chat_tools_parallel_stream"));
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_tools_parallel_stream"))) {
            assertArrayEquals(Recording.load("chat_tools_parallel_stream").body(), concat(client.readAll()));
        }
        // the backend gets the client's bytes with one change: Switchboard asks for usage (to count tokens) and
        // hides the usage event from this client, which did not ask for it
        String sent = new String(Recording.requestBody("chat_tools_parallel_stream"), java.nio.charset.StandardCharsets.UTF_8);
        String expected = "{\"stream_options\":{\"include_usage\":true}," + sent.substring(sent.indexOf('{') + 1);
        assertEquals(expected, new String(backend.lastRequest("POST", CHAT).body(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void clientLeavingMidStreamClosesTheBackendRequestWithinOneSecond() throws Exception {
        backend.on("POST", CHAT, Reply.longStream(2000, Duration.ofMillis(20)));
        try (RawHttp client = RawHttp.post(chat, Recording.requestBody("chat_stream"))) {
            client.readUntil(" t1\"");
        }
        long closed = System.nanoTime();
        ResponseLog log = backend.awaitResponse("POST", CHAT, Duration.ofSeconds(1));
        assertTrue(log.awaitClientGone(Duration.ofSeconds(1)), "backend still streaming 1 s after the client left");
        assertTrue(log.clientGoneNanos() - closed < 1_000_000_000L);
        assertTrue(log.eventsWritten() < 2000);
    }

    @Test
    void backendBreakingOffAStreamEndsItWithAnErrorEvent() throws Exception {
        backend.on("POST", CHAT, Reply.recording("chat_stream").closeAfter(3));
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream"))) {
            List<byte[]> events = client.readAll();
            List<byte[]> recorded = Recording.load("chat_stream").events();
            assertEquals(4, events.size());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(recorded.get(i), events.get(i));
            }
            String last = new String(events.get(3), StandardCharsets.UTF_8);
            assertTrue(last.startsWith("data: {\"error\":{"), last);
            assertTrue(last.contains("\"code\":\"backend_stream_interrupted\""), last);
        }
    }
}
