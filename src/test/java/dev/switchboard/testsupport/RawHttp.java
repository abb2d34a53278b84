package dev.switchboard.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A client that speaks HTTP/1.1 over a plain socket, for the tests that must control the connection itself:
 * closing it at an exact moment is something the JDK's clients only approximate.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Sends a POST with a Content-Length body; the answer is read with {@link #readUntil}. */
    public static RawHttp post(URI uri, byte[] body) throws IOException {
        RawHttp client = new RawHttp(new Socket(uri.getHost(), uri.getPort()));
        String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        OutputStream out = client.socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return client;
    }

    /** Reads until {@code marker} has been seen in the answer (head included) and returns what was read. */
    public String readUntil(String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            seen.append((char) b);
            if (seen.indexOf(marker) >= 0) {
                return seen.toString();
            }
        }
        throw new IOException("connection ended before '" + marker + "': " + seen);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
