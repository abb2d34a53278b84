package dev.switchboard.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One recorded HTTP response from {@code fixtures/<dir>/<name>.http}: status line, headers and body.
 * The body is kept as the exact recorded bytes; nothing is decoded and re-encoded, so a replay is
 * byte-identical to what the real server sent (curl already removed the chunked framing).
 * Instances are immutable; the arrays handed out are copies.
 */
public final class Recording {

    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Map<String, Recording> CACHE = new ConcurrentHashMap<>();

    private final int status;
    private final String reason;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final List<byte[]> events;

    private Recording(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
        this.status = status;
        this.reason = reason;
        this.headers = List.copyOf(headers);
        this.body = body.clone();
        this.events = isEventStream() ? splitEvents(this.body) : List.of();
    }

    /** A llama.cpp recording: {@code fixtures/llamacpp/<name>.http}. */
    public static Recording load(String name) {
        return load("llamacpp", name);
    }

    /** {@code fixtures/<dir>/<name>.http}, e.g. {@code load("zen", "error_invalid_key")}. */
    public static Recording load(String dir, String name) {
        return CACHE.computeIfAbsent(dir + "/" + name, key -> parse(resource("fixtures/" + key + ".http")));
    }

    /**
     * A request body exactly as it was sent for the recordings: {@code fixtures/llamacpp/requests/<name>.json}.
     * A name with an extension is taken as is (the malformed one is {@code "error_malformed_json.body"}).
     */
    public static byte[] requestBody(String name) {
        String file = name.contains(".") ? name : name + ".json";
        return resource("fixtures/llamacpp/requests/" + file);
    }

    /** Parses a raw response: status line and headers ending in CRLF, a blank line, then the body. */
    public static Recording parse(byte[] raw) {
        int headEnd = indexOf(raw, HEAD_END, 0);
        if (headEnd < 0) {
            throw new IllegalArgumentException("no blank line after the response head");
        }
        String[] lines = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3); // "HTTP/1.1 200 OK"
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            // strip(): llama.cpp sends "Access-Control-Allow-Origin: " with an empty value
            headers.add(Map.entry(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()));
        }
        byte[] body = Arrays.copyOfRange(raw, headEnd + HEAD_END.length, raw.length);
        return new Recording(Integer.parseInt(statusLine[1]), statusLine.length > 2 ? statusLine[2] : "", headers, body);
    }

    /** A response made up in a test or generator rather than read from a file. */
    public static Recording of(int status, String reason, List<Map.Entry<String, String>> headers, byte[] body) {
        return new Recording(status, reason, headers, body);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** Headers in recorded order, names as recorded. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** First value of a header (name case-insensitive), or null. */
    public String header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public boolean isEventStream() {
        String type = header("Content-Type");
        return type != null && type.toLowerCase().startsWith("text/event-stream");
    }

    /** llama.cpp answers every error with {@code Connection: close} and then really closes. */
    public boolean closesConnection() {
        return "close".equalsIgnoreCase(header("Connection"));
    }

    /**
     * The SSE events, each with its trailing blank line, so that concatenating them gives the body back
     * exactly. An unterminated tail (a cut-off stream) becomes the last element. Only for event streams.
     */
    public List<byte[]> events() {
        if (!isEventStream()) {
            throw new IllegalStateException("not a text/event-stream response");
        }
        return events.stream().map(byte[]::clone).toList();
    }

    public int eventCount() {
        return events.size();
    }

    /** Event {@code i} as UTF-8 text, e.g. {@code "data: {...}\n\n"}. */
    public String event(int i) {
        return new String(events.get(i), StandardCharsets.UTF_8);
    }

    List<byte[]> eventsUnsafe() { // no copies: for the writer, which never mutates
        return events;
    }

    byte[] bodyUnsafe() {
        return body;
    }

    private static List<byte[]> splitEvents(byte[] body) {
        byte[] separator = {'\n', '\n'};
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        int at;
        while ((at = indexOf(body, separator, start)) >= 0) {
            out.add(Arrays.copyOfRange(body, start, at + 2));
            start = at + 2;
        }
        if (start < body.length) {
            out.add(Arrays.copyOfRange(body, start, body.length));
        }
        return List.copyOf(out);
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] resource(String path) {
        ClassLoader loader = Recording.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no classpath resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }

    @Override
    public String toString() {
        return status + " " + reason + (isEventStream() ? " (" + events.size() + " events)" : " (" + body.length + " bytes)");
    }
}
