package dev.switchboard.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * A test client that reads a streamed answer event by event and notes when each event arrived ({@code nanoTime},
 * comparable with the fake backend's write times: same JVM). Closing it closes the connection mid-stream.
 */
public final class SseClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final HttpResponse<InputStream> response;
    private final InputStream in;
    private final List<byte[]> events = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.in = response.body();
    }

    /** POSTs {@code body} and returns once the response head has arrived. */
    public static SseClient post(URI uri, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    /** Reads the next event (its bytes up to and including the blank line), or null at the end of the body. */
    public byte[] next() throws IOException {
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        int previous = -1;
        int b;
        while ((b = in.read()) != -1) {
            event.write(b);
            if (b == '\n' && previous == '\n') {
                arrivals.add(System.nanoTime());
                events.add(event.toByteArray());
                return event.toByteArray();
            }
            previous = b;
        }
        if (event.size() > 0) {
            throw new IOException("stream ended inside an event: " + event);
        }
        return null;
    }

    /** Reads every remaining event. */
    public List<byte[]> readAll() throws IOException {
        while (next() != null) {
            // collecting
        }
        return events;
    }

    public List<byte[]> events() {
        return events;
    }

    public long arrivalNanos(int index) {
        return arrivals.get(index);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
