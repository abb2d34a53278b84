package dev.switchboard.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.switchboard.testsupport.FakeLlamaCppResource;
import dev.switchboard.testsupport.LongStream;
import dev.switchboard.testsupport.Recording;
import dev.switchboard.testsupport.Reply;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A thousand streams opened at once. In the default profile (idle timeout 10 min): with the short idle timeout of
 * {@link FaultsTest}, streams queued behind the others on this 2-core machine waited past it for their head (504),
 * which is the timeout doing its job, not a fault.
 */
@QuarkusTest
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a gateway that never ends a stream fails, not hangs
@WithTestResource(FakeLlamaCppResource.class)
class ThousandStreamsTest extends FaultTestBase {

    @TestHTTPResource(CHAT)
    URI chat;

    @Test
    void aThousandStreamsAtOnceAllCompleteInOrder() throws Exception {
        int streams = 1000;
        byte[] expected = LongStream.chat(5).body();
        backend.on("POST", CHAT, Reply.longStream(5, Duration.ZERO));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(chat).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Recording.requestBody("chat_stream"))).build();
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(90, TimeUnit.SECONDS);
        int ok = 0;
        Map<String, Integer> failures = new java.util.TreeMap<>();
        for (CompletableFuture<HttpResponse<byte[]>> f : all) {
            HttpResponse<byte[]> response = f.get();
            if (response.statusCode() == 200 && java.util.Arrays.equals(expected, response.body())) {
                ok++;
            } else {
                String body = new String(response.body(), StandardCharsets.UTF_8);
                failures.merge(response.statusCode() + " " + body.substring(0, Math.min(200, body.length())), 1,
                        Integer::sum);
            }
        }
        assertEquals(streams, ok, () -> "streams complete with every event in order; the others: " + failures);
        assertEquals(streams, backend.requests("POST", CHAT).size());
        afterFault();
    }

}
