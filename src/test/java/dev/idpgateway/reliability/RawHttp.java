package dev.idpgateway.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain {@link Socket}: the bytes of a request go out exactly as given, so that no
 * client library repairs, normalises or refuses them, and the reply is read just as far as needed
 * to judge it. One connection per exchange.
 */
final class RawHttp {
    /** What came back: a response, or the connection closed without one. */
    sealed interface Outcome permits Response, Closed {
    }

    /** Header names are case-insensitive; the first value of each is kept. */
    record Response(int status, Map<String, String> headers, byte[] body) implements Outcome {
        String header(String name) {
            return headers.get(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    record Closed() implements Outcome {
    }

    /** How the request's bytes are sent: all at once, the first n and then nothing, or a byte at a time. */
    record Pacing(int stallAfterBytes, Duration trickle) {
        static final Pacing AT_ONCE = new Pacing(-1, Duration.ZERO);
    }

    private final int port;
    private final Duration readTimeout;
    /** The client's own address, e.g. 127.0.0.2 to be another client than 127.0.0.1; null for any. */
    private final InetAddress source;

    RawHttp(int port, Duration readTimeout) {
        this(port, readTimeout, null);
    }

    RawHttp(int port, Duration readTimeout, InetAddress source) {
        this.port = port;
        this.readTimeout = readTimeout;
        this.source = source;
    }

    /**
     * @throws SocketTimeoutException when the server neither answered nor closed within the read
     *     timeout: a hang, which no case accepts
     */
    Outcome exchange(byte[] request, boolean headRequest, Pacing pacing) throws IOException, InterruptedException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port, source, 0)) {
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.setTcpNoDelay(true);
            try {
                send(socket.getOutputStream(), request, pacing);
            } catch (SocketException closedWhileSending) {
                // The server may have answered before it closed (e.g. headers too large): read on.
            }
            return read(socket.getInputStream(), headRequest);
        }
    }

    private static void send(OutputStream out, byte[] request, Pacing pacing) throws IOException, InterruptedException {
        if (pacing.stallAfterBytes() >= 0) {
            out.write(request, 0, Math.min(request.length, pacing.stallAfterBytes()));
        } else if (!pacing.trickle().isZero()) {
            for (byte b : request) {
                out.write(b);
                out.flush();
                Thread.sleep(pacing.trickle().toMillis()); // the slow client is the point of this case
            }
        } else {
            out.write(request);
        }
        out.flush();
    }

    private static Outcome read(InputStream in, boolean headRequest) throws IOException {
        try {
            while (true) {
                String statusLine = line(in);
                if (statusLine == null) {
                    return new Closed();
                }
                Map<String, String> headers = headers(in);
                int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
                if (status == 100) {
                    continue; // the interim answer to Expect: 100-continue
                }
                byte[] body = headRequest ? new byte[0] : body(in, headers);
                return new Response(status, headers, body);
            }
        } catch (SocketException reset) {
            return new Closed();
        }
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.putIfAbsent(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        return headers;
    }

    private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
        String length = headers.get("Content-Length");
        if (length == null) {
            return in.readAllBytes();
        }
        return in.readNBytes(Integer.parseInt(length));
    }

    /** One CRLF-terminated line without its terminator; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
