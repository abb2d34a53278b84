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

    /**
     * Sends the head of a POST announcing {@code declaredLength} body bytes and only {@code sent} of them; the rest
     * never comes. {@code receiveBuffer} (bytes, 0 for the system default) is set before connecting, so a client
     * that stops reading holds little.
     */
    public static RawHttp postPartly(URI uri, int declaredLength, byte[] sent, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()));
        RawHttp client = new RawHttp(socket);
        String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + declaredLength + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(sent);
        out.flush();
        return client;
    }

    /** The answer's bytes as they come, for reading at the test's own pace. */
    public InputStream in() {
        return in;
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
