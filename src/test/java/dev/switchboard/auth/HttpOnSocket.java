package dev.switchboard.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 on one socket, written by hand: for requests the usual clients tidy up (a path with {@code ..} in it),
 * and for several requests on one kept-alive connection.
 */
final class HttpOnSocket implements AutoCloseable {

    /** Status line, headers (names lower-cased, one per line as {@code name: value}) and body of one answer. */
    record Answer(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final String host;

    HttpOnSocket(URI base) throws IOException {
        this.socket = new Socket(base.getHost(), base.getPort());
        this.socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
        this.host = base.getHost() + ":" + base.getPort();
    }

    /** Sends one request ({@code extraHeaders}: complete lines, each ending in CRLF) and reads its whole answer. */
    Answer send(String method, String target, String extraHeaders, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n")
                + "\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return read();
    }

    private Answer read() throws IOException {
        String head = readHead();
        int status = Integer.parseInt(head.substring(9, 12));
        String lower = head.toLowerCase(Locale.ROOT);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = lower.indexOf("\r\ncontent-length:");
        if (at >= 0) {
            int end = lower.indexOf("\r\n", at + 2);
            int length = Integer.parseInt(lower.substring(at + 17, end).strip());
            body.write(in.readNBytes(length));
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                int size = Integer.parseInt(readLine().strip(), 16);
                body.write(in.readNBytes(size));
                readLine();
                if (size == 0) {
                    break;
                }
            }
        }
        return new Answer(status, head, body.toString(StandardCharsets.UTF_8));
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
