import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * A customer service that misbehaves on purpose, for app/bench/fault-mix.sh. JDK only, run with the
 * source launcher in its own process:
 * {@code java FaultMixServer.java [PORT] [SLOW_MS] [RETRY_AFTER_SECONDS]} (defaults 0 = any free
 * port, 3000, 1).
 * It prints {@code listening PORT} once ready.
 *
 * <p>{@code GET /customers/{id}} answers, per attempt and at random (so a retry can recover):
 * 10% a 5xx (500, 502, 503, 504 in turn), 5% a 429 with {@code Retry-After} (1 s by default), 2% a reset (half
 * of them a closed connection with no response, half a body cut short after its headers), 1% a
 * reply slower than harvest's timeout. Otherwise it answers 200 with a body that depends only on
 * the ID, so runs can be compared line by line; for 2% of IDs, chosen by a hash of the ID (the
 * same every run), that body is malformed JSON: a permanent failure. {@code GET /stats} prints the
 * counts. {@code java FaultMixServer.java --bad-json-ids IDS_FILE} prints the IDs (after the
 * header line) that get malformed JSON, for the script to check the failed file against.
 */
public final class FaultMixServer {
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    /** The deterministic permanent failure: 2% of IDs by a hash of their bytes, the same in every run. */
    static boolean badJson(String id) {
        long h = 0;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h * 31 + (b & 0xff)) % 1_000_003;
        }
        return h % 100 < 2;
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--bad-json-ids")) {
            try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of(args[1]))) {
                lines.skip(1).filter(FaultMixServer::badJson).forEach(System.out::println);
            }
            return;
        }
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long slowMillis = args.length > 1 ? Long.parseLong(args[1]) : 3000;
        String retryAfter = args.length > 2 ? args[2] : "1";
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/customers/", ex -> customer(ex, slowMillis, retryAfter));
        server.createContext("/stats", FaultMixServer::stats);
        server.start();
        System.out.println("listening " + server.getAddress().getPort());
        System.out.flush();
    }

    private static void count(String what) {
        COUNTS.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private static void customer(HttpExchange ex, long slowMillis, String retryAfter) throws IOException {
        String raw = ex.getRequestURI().getRawPath().substring("/customers/".length());
        String id = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        count("requests");
        double roll = ThreadLocalRandom.current().nextDouble();
        try (ex) {
            if (roll < 0.10) {
                int status = new int[] {500, 502, 503, 504}[ThreadLocalRandom.current().nextInt(4)];
                count("status_" + status);
                send(ex, status, "text/plain", "unwell\n");
            } else if (roll < 0.15) {
                count("status_429");
                ex.getResponseHeaders().set("Retry-After", retryAfter);
                send(ex, 429, "text/plain", "slow down\n");
            } else if (roll < 0.16) {
                count("reset_no_response");
                // An exception out of the handler makes the JDK server drop the connection unanswered.
                throw new IOException("fault: reset");
            } else if (roll < 0.17) {
                count("reset_truncated_body");
                byte[] body = body(id);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                OutputStream os = ex.getResponseBody();
                os.write(body, 0, body.length / 2);
                os.flush();
                // Closing with bytes missing makes the JDK server close the connection mid-body.
                throw new IOException("fault: truncated");
            } else if (roll < 0.18) {
                count("slow");
                try {
                    Thread.sleep(slowMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ok(ex, id);
            } else {
                ok(ex, id);
            }
        }
    }

    private static void ok(HttpExchange ex, String id) throws IOException {
        if (badJson(id)) {
            count("bad_json");
            send(ex, 200, "application/json", "{\"customer\":\"" + id + "\",\"details\":[{\"id\":");
        } else {
            count("ok");
            ex.getResponseHeaders().set("Content-Type", "application/json");
            byte[] body = body(id);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    /** A body that depends only on the ID: the same bytes in every run. */
    private static byte[] body(String id) {
        int h = id.hashCode() & 0x7fffffff;
        String json = "{\"customer\":\"" + id + "\",\"details\":["
                + "{\"id\":\"" + id + "-1\",\"relevanceScore\":0." + (h % 997) + ",\"relevanceRank\":1},"
                + "{\"id\":\"" + id + "-2\",\"relevanceScore\":0." + (h % 991) + ",\"relevanceRank\":2},"
                + "{\"id\":\"" + id + "-3\",\"relevanceScore\":0." + (h % 983) + ",\"relevanceRank\":3}]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange ex, int status, String type, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    private static void stats(HttpExchange ex) throws IOException {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(COUNTS).forEach((k, v) -> b.append(k).append(' ').append(v.sum()).append('\n'));
        try (ex) {
            send(ex, 200, "text/plain", b.toString());
        }
    }
}
