package dev.switchboard.faults;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.testsupport.FakeBackendTest;
import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.LongStream;
import dev.switchboard.testsupport.RawHttp;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import dev.switchboard.testsupport.ResponseLog;
import dev.switchboard.testsupport.SseClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Faults a gateway must survive, on the backend's side and the client's. Each test ends by checking that the gateway
 * still answers a JSON request and a stream byte for byte, and that nothing leaked upstream
 * ({@link FaultTestBase#afterFault}).
 *
 * <p>Covered elsewhere and not repeated: a backend refusing connections ({@code UnreachableBackendTest}); silence
 * inside a stream after some events ({@code SilentBackendTest}); a backend closing a stream mid-way with a FIN
 * ({@code ChatStreamingTest.backendBreakingOffAStreamEndsItWithAnErrorEvent}); a thousand streams at once
 * ({@link ThousandStreamsTest}, in the default profile).
 */
@QuarkusTest
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a gateway that never ends a stream fails, not hangs
@WithTestResource(FakeLlamaCppResource.class)
@TestProfile(FaultsTest.Faults.class)
class FaultsTest extends FaultTestBase {

    public static class Faults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a fixed send buffer toward clients: see SocketBuffers
            return Map.of("switchboard.backend.idle-timeout", "1000ms", "test.http.send-buffer-size", "65536");
        }
    }

    /** Bytes the backend may get written while the client reads nothing: see the slow-reader test. */
    private static final long BUFFERED_AT_MOST = 2 << 20;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource(CHAT)
    URI chat;

    @Test
    void backendThatAcceptsAndNeverAnswersIs504() throws Exception {
        backend.on("POST", CHAT, Reply.hold());
        for (String name : new String[] {"chat_basic", "chat_stream"}) {
            given().body(Recording.requestBody(name)).contentType("application/json").post(CHAT).then()
                    .statusCode(504)
                    .body("error.code", equalTo("backend_timeout"));
        }
        assertTrue(backend.lastResponse("POST", CHAT).awaitClientGone(Duration.ofSeconds(2)));
        afterFault();
    }

    @Test
    void headersThenSilenceEndsTheStreamWithAnErrorEvent() throws Exception {
        backend.on("POST", CHAT, Reply.headersThenHang());
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream"))) {
            assertEquals(200, client.response().statusCode());
            List<byte[]> events = client.readAll(); // returns: the stream closed
            assertEquals(1, events.size());
            String event = new String(events.get(0), StandardCharsets.UTF_8);
            assertTrue(event.startsWith("data: {\"error\":{"), event);
            assertTrue(event.contains("backend went silent"), event);
            assertTrue(event.contains("\"code\":\"backend_stream_interrupted\""), event);
        }
        assertTrue(backend.lastResponse("POST", CHAT).awaitClientGone(Duration.ofSeconds(2)));
        afterFault();
    }

    @Test
    void connectionResetMidStreamEndsItWithAnErrorEvent() throws Exception {
        backend.on("POST", CHAT, Reply.recording("chat_stream").resetAfter(3));
        try (SseClient client = SseClient.post(chat, Recording.requestBody("chat_stream"))) {
            List<byte[]> events = client.readAll();
            assertEquals(4, events.size());
            List<byte[]> recorded = Recording.load("chat_stream").events();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(recorded.get(i), events.get(i));
            }
            String last = new String(events.get(3), StandardCharsets.UTF_8);
            assertTrue(last.contains("\"code\":\"backend_stream_interrupted\""), last);
        }
        // a JSON answer reset after its head: the client's connection is cut too, never a short body taken as whole
        backend.on("POST", CHAT, Reply.recording("chat_basic").resetAfter(0));
        HttpRequest request = HttpRequest.newBuilder(chat).POST(HttpRequest.BodyPublishers.ofByteArray(
                Recording.requestBody("chat_basic"))).build();
        assertThrows(IOException.class, () -> HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray()));
        afterFault();
    }

    @Test
    void htmlErrorPageIsWrappedInTheEnvelope() throws Exception {
        String page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway"
                + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
        backend.on("POST", CHAT, Reply.status(502, "text/html", page));
        for (String name : new String[] {"chat_basic", "chat_stream"}) {
            given().body(Recording.requestBody(name)).contentType("application/json").post(CHAT).then()
                    .statusCode(502)
                    .contentType("application/json")
                    .body("error.type", equalTo("server_error"))
                    .body("error.code", equalTo("backend_error"))
                    .body("error.message", containsString("502 Bad Gateway"));
        }
        afterFault();
    }

    @Test
    void invalidJsonIn200IsRelayedAsSent() throws Exception {
        // accounting reads every answer for its usage: these bytes must neither break it nor be changed by it
        byte[] broken = "{\"choices\":[{\"message\":{\"content\":\"cut\"}}],\"usage\":{\"prompt_tokens\":3,\"compl"
                .getBytes(StandardCharsets.UTF_8);
        backend.on("POST", CHAT, Reply.of(Recording.of(200, "OK",
                List.of(Map.entry("Content-Type", "application/json")), broken), "invalid json"));
        byte[] got = given().body(Recording.requestBody("chat_basic")).contentType("application/json").post(CHAT)
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(broken, got);

        byte[] stream = sse("{\"choices\":[{\"delta\":{\"content\":\"a\"},\"index\":0}]}",
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":", "[DONE]");
        backend.on("POST", CHAT, eventStream(stream));
        assertArrayEquals(stream, streamFor(true));
        given().get("/v1/usage").then().statusCode(200);
        afterFault();
    }

    @Test
    void bytesThatAreNotUtf8AreRelayedUnchanged() throws Exception {
        byte[] json = latin1("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"caf\u00e9 \u00ff\u00fe"
                + "\u00c0\u00af\"},\"index\":0}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,"
                + "\"total_tokens\":5}}");
        backend.on("POST", CHAT, Reply.of(Recording.of(200, "OK",
                List.of(Map.entry("Content-Type", "application/json")), json), "not utf-8"));
        byte[] got = given().body(Recording.requestBody("chat_basic")).contentType("application/json").post(CHAT)
                .then().statusCode(200).extract().asByteArray();
        assertArrayEquals(json, got);

        String delta = "{\"choices\":[{\"delta\":{\"content\":\"\u00ff\u00e9\u00ed\u00a0\u0080\"},\"index\":0}]}";
        String usage = "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}";
        backend.on("POST", CHAT, eventStream(latin1sse(delta, usage, "[DONE]")));
        assertArrayEquals(latin1sse(delta, usage, "[DONE]"), streamFor(true));
        // a client that did not ask for usage: only the usage event is taken out
        assertArrayEquals(latin1sse(delta, "[DONE]"), streamFor(false));
        afterFault();
    }

    @Test
    void anSseLineOfSeveralMegabytesIsRelayedWhole() throws Exception {
        String big = "{\"choices\":[{\"delta\":{\"content\":\"" + "x".repeat(3 << 20) + "\"},\"index\":0}]}";
        String small = "{\"choices\":[{\"delta\":{\"content\":\"after\"},\"index\":0}]}";
        String usage = "{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";
        backend.on("POST", CHAT, eventStream(sse(big, small, usage, "[DONE]")));
        assertArrayEquals(sse(big, small, usage, "[DONE]"), streamFor(true));
        assertArrayEquals(sse(big, small, "[DONE]"), streamFor(false));
        afterFault();
    }

    @Test
    void clientLeavingAtAnyStageEndsTheBackendRequest() throws Exception {
        byte[] body = Recording.requestBody("chat_basic");
        // before its body is complete: nothing reaches the backend
        try (RawHttp client = RawHttp.postPartly(chat, body.length, java.util.Arrays.copyOf(body, body.length / 2), 0)) {
            Thread.sleep(200);
        }
        Thread.sleep(300);
        assertTrue(backend.requests("POST", CHAT).isEmpty(), () -> "forwarded: " + backend.requests());

        // while waiting for the answer's head, JSON and stream alike
        backend.on("POST", CHAT, Reply.hold());
        for (String name : new String[] {"chat_basic", "chat_stream"}) {
            try (RawHttp client = RawHttp.post(chat, Recording.requestBody(name))) {
                backend.awaitRequests(1, Duration.ofSeconds(2));
            }
            assertTrue(backend.awaitClientGone(Duration.ofSeconds(1)), name + ": backend request still open");
            assertTrue(backend.awaitQuiet(IDLE_ALLOWED, Duration.ofSeconds(2)), () -> "in flight: " + backend.inFlight());
            backend.reset();
            backend.on("POST", CHAT, Reply.hold());
        }

        // mid-stream
        backend.on("POST", CHAT, Reply.longStream(2000, Duration.ofMillis(10)));
        try (RawHttp client = RawHttp.post(chat, Recording.requestBody("chat_stream"))) {
            client.readUntil(" t1\"");
        }
        ResponseLog log = backend.awaitResponse("POST", CHAT, Duration.ofSeconds(1));
        assertTrue(log.awaitClientGone(Duration.ofSeconds(1)), "backend still streaming 1 s after the client left");
        assertTrue(log.eventsWritten() < 2000);
        afterFault();
    }

    @Test
    void aClientReadingSlowlyPausesTheBackend() throws Exception {
        int n = 20_000; // ~5 MB of events
        Recording stream = LongStream.chat(n);
        backend.on("POST", CHAT, Reply.of(stream, "long stream, no delay"));
        byte[] request = Recording.requestBody("chat_stream");
        try (RawHttp client = RawHttp.postPartly(chat, request.length, request, 16 * 1024)) {
            client.readUntil("\r\n\r\n"); // the head; then the client stops reading
            ResponseLog log = backend.awaitResponse("POST", CHAT, Duration.ofSeconds(2));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (log.timesBlocked() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(log.timesBlocked() > 0, "the fake's writes never blocked: the gateway buffers for the client");
            // held past the 1 s idle timeout: a paused stream is not a silent backend
            long written = -1;
            for (int quiet = 0, k = 0; quiet < 3 && k < 40; k++) { // until the writes stopped for 3 samples
                Thread.sleep(250);
                quiet = log.bytesWritten() == written ? quiet + 1 : 0;
                written = log.bytesWritten();
            }
            long total = stream.body().length;
            System.out.printf("slow reader: the fake blocked first after %d bytes, stopped at %d, of %d%n",
                    log.bytesWrittenWhenFirstBlocked(), written, total);
            // what the kernel may hold on the way (send buffers of 64 KB, receive buffers) and the gateway's own
            // queues: well under 2 MB; without backpressure the gateway reads the whole stream into its memory
            assertTrue(written < BUFFERED_AT_MOST, "written " + written + " of " + total + " with the client idle");
            byte[] got = dechunk(client.in());
            assertArrayEquals(stream.body(), got);
            assertTrue(log.awaitCompleted(Duration.ofSeconds(2)));
        }
        afterFault();
    }

    // --- helpers ---

    /** POSTs a stream request, asking for usage or not, and returns the body bytes received. */
    private byte[] streamFor(boolean includeUsage) throws Exception {
        String body = "{\"model\":\"tiny\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]"
                + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}}" : "}");
        try (SseClient client = SseClient.post(chat, body.getBytes(StandardCharsets.UTF_8))) {
            assertEquals(200, client.response().statusCode());
            return client.response().body().readAllBytes();
        }
    }

    private static Reply eventStream(byte[] body) {
        return Reply.of(Recording.of(200, "OK", List.of(Map.entry("Content-Type", "text/event-stream")), body),
                "made-up stream");
    }

    private static byte[] sse(String... data) {
        StringBuilder out = new StringBuilder();
        for (String d : data) {
            out.append("data: ").append(d).append("\n\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Events whose chars below 256 become the bytes of the same value: how raw bytes are written here. */
    private static byte[] latin1sse(String... data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String d : data) {
            out.writeBytes(latin1("data: " + d + "\n\n"));
        }
        return out.toByteArray();
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads a chunked body to its last chunk. */
    private static byte[] dechunk(java.io.InputStream in) throws IOException {
        java.io.DataInputStream data = new java.io.DataInputStream(new java.io.BufferedInputStream(in));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String line = readLine(data);
            int size = Integer.parseInt(line.split(";")[0].trim(), 16);
            if (size == 0) {
                readLine(data);
                return body.toByteArray();
            }
            byte[] chunk = new byte[size];
            data.readFully(chunk);
            body.writeBytes(chunk);
            readLine(data);
        }
    }

    private static String readLine(java.io.DataInputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("body ended inside a chunk line");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
