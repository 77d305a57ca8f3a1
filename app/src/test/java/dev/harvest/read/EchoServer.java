package dev.harvest.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A loopback service at {@code /ids/{id}} that answers {@code {"id": <the ID it received>}} and
 * remembers every ID it was asked for, decoded from the request path. Answers 404 while
 * {@link #failAll} is set.
 */
final class EchoServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<String> received = new ArrayList<>();
    private volatile boolean failAll;

    EchoServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/ids/", exchange -> {
            String raw = exchange.getRequestURI().getRawPath().substring("/ids/".length());
            String id = URLDecoder.decode(raw, StandardCharsets.UTF_8);
            synchronized (received) {
                received.add(id);
            }
            byte[] body = JSON.writeValueAsBytes(Map.of("id", id));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(failAll ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** The URL template harvest calls. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ids/{id}";
    }

    /** Every ID asked for so far, sorted, and forgets them. */
    List<String> takeReceived() {
        synchronized (received) {
            List<String> all = new ArrayList<>(received);
            received.clear();
            all.sort(null);
            return all;
        }
    }

    void failAll(boolean fail) {
        failAll = fail;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
