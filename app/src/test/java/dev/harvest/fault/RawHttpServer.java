package dev.harvest.fault;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

/**
 * A minimal HTTP/1.1 server on raw sockets, one virtual thread per connection, with keep-alive: it
 * answers each request with the exact bytes {@code respond} gives for its path (status line,
 * headers and body as written, so tests can send what real servers must not), after a delay.
 * Unlike the JDK's HttpServer it keeps up with thousands of connections at once.
 */
final class RawHttpServer implements AutoCloseable {
    private final ServerSocket socket;

    RawHttpServer(Duration delay, Function<String, String> respond) throws IOException {
        socket = new ServerSocket(0, 16384, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("raw-accept").start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread.ofVirtual().start(() -> serve(s, delay, respond));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** A whole response with a Content-Length. */
    static String ok(String json) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private static void serve(Socket s, Duration delay, Function<String, String> respond) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            while (true) {
                String requestLine = line(in);
                if (requestLine == null) {
                    return;
                }
                for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                    // headers are not needed
                }
                Thread.sleep(delay);
                out.write(respond.apply(requestLine.split(" ")[1]).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client closed the connection, or the server stops
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
