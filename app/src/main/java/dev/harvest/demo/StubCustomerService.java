package dev.harvest.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A stand-in customer service for {@code harvest demo}, on the JDK's built-in HTTP server on a
 * random loopback port. It answers {@code GET /customers/{id}} like the real one (a JSON document
 * with a {@code details} array) after 5–30 ms, and misbehaves on purpose, deterministically by ID:
 * every 97th customer does not exist (404) and every 100th is briefly unavailable (503 on the
 * first request, fine on the next), so a demo run shows retries, throttling and a failed file.
 */
public final class StubCustomerService implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> throttledOnce = ConcurrentHashMap.newKeySet();

    private StubCustomerService(HttpServer server) {
        this.server = server;
    }

    /** Starts the service on 127.0.0.1 and a free port. */
    public static StubCustomerService start() throws IOException {
        return start(0);
    }

    /** Starts the service on 127.0.0.1 and {@code port} (0: a free one). */
    public static StubCustomerService start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        StubCustomerService s = new StubCustomerService(server);
        server.setExecutor(s.executor);
        server.createContext("/customers/", s::handle);
        server.start();
        return s;
    }

    /** The URL template harvest should call. */
    public String urlTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/customers/{id}";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = URI.create(ex.getRequestURI().getRawPath()).getPath();
            String id = path.substring("/customers/".length());
            Thread.sleep(5 + ThreadLocalRandom.current().nextInt(26));
            int n = number(id);
            if (n % 97 == 0) {
                send(ex, 404, "text/plain", "no customer " + id);
            } else if (n % 100 == 7 && throttledOnce.add(id)) {
                send(ex, 503, "text/plain", "busy, try again");
            } else {
                send(ex, 200, "application/json", body(id));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int number(String id) {
        String digits = id.replaceAll("\\D", "");
        return digits.isEmpty() ? 1 : Integer.parseInt(digits.substring(Math.max(0, digits.length() - 9)));
    }

    private static String body(String id) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder("{\"customer\":\"").append(id).append("\",\"details\":[");
        for (int i = 1; i <= 3; i++) {
            sb.append(i > 1 ? "," : "").append("{\"id\":\"").append(id).append('-').append(i)
                    .append("\",\"relevanceScore\":").append(String.format(java.util.Locale.ROOT, "%.2f", 1.0 - i * 0.2 - r.nextDouble() * 0.1))
                    .append(",\"relevanceRank\":").append(i).append('}');
        }
        return sb.append("],\"profile\":{\"segment\":\"retail\",\"country\":\"NL\"}}").toString();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
