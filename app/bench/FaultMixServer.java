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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A customer service that misbehaves on purpose, for app/bench/fault-mix.sh. JDK only, run with the
 * source launcher in its own process:
 * {@code java FaultMixServer.java [PORT] [SLOW_MS] [RETRY_AFTER_SECONDS] [per-id|per-attempt]}
 * (defaults 0 = any free port, 3000, 1, per-id). It prints {@code listening PORT} once ready.
 *
 * <p>{@code GET /customers/{id}} misbehaves in one of two ways:
 * <ul>
 *   <li>{@code per-id} (the default): a quarter of the IDs, chosen by a hash of the ID, fail their
 *       first one or two attempts (half of them each) and then answer. Each failing attempt is one
 *       of, in turn: a 5xx (500, 502, 503, 504), a 429 with {@code Retry-After} (1 s by default),
 *       a reset (a closed connection with no response), a body cut short after its headers, or a
 *       reply slower than harvest's timeout; no ID is slow twice. Every such ID is recoverable
 *       with harvest's default --retries 3. {@code GET /reset} forgets the attempts counted so far
 *       (the script calls it between its two runs).</li>
 *   <li>{@code per-attempt}: every attempt, at random (so a retry can recover): 10% a 5xx, 5% a 429
 *       with {@code Retry-After}, 2% a reset (half with no response, half a body cut short), 1% a
 *       reply slower than harvest's timeout.</li>
 * </ul>
 * Otherwise it answers 200 with a body that depends only on the ID, so runs can be compared line by
 * line; for 2% of IDs, chosen by a hash of the ID (the same every run), that body is malformed
 * JSON: a permanent failure. {@code GET /stats} prints the counts.
 * {@code java FaultMixServer.java --bad-json-ids IDS_FILE} prints the IDs (after the header line)
 * that get malformed JSON, for the script to check the failed file against.
 */
public final class FaultMixServer {
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
    private static final String[] KINDS = {"5xx", "429", "reset", "truncated", "slow"};

    /** The deterministic permanent failure: 2% of IDs by a hash of their bytes, the same in every run. */
    static boolean badJson(String id) {
        return hash(id) % 100 < 2;
    }

    private static long hash(String id) {
        long h = 0;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            h = (h * 31 + (b & 0xff)) % 1_000_003;
        }
        return h;
    }

    /**
     * The per-id model: what attempt {@code attempt} (1-based) of {@code id} gets, or null for a
     * proper answer. A second hash (not the bad-JSON one) picks a quarter of the IDs; the kinds of
     * one ID's two failing attempts are consecutive in {@link #KINDS}, so it is never slow twice.
     */
    static String perIdFault(String id, int attempt) {
        long h = (id.hashCode() & 0x7fffffffL) * 2654435761L % 1_000_000_007L;
        if (h % 4 != 0) {
            return null;
        }
        int failures = (h / 4) % 2 == 0 ? 1 : 2;
        return attempt > failures ? null : KINDS[(int) ((h / 8 + attempt) % KINDS.length)];
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
        boolean perAttempt = args.length > 3 && args[3].equals("per-attempt");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/customers/", ex -> customer(ex, slowMillis, retryAfter, perAttempt));
        server.createContext("/stats", FaultMixServer::stats);
        server.createContext("/reset", ex -> {
            ATTEMPTS.clear();
            try (ex) {
                send(ex, 200, "text/plain", "attempts forgotten\n");
            }
        });
        server.start();
        System.out.println("listening " + server.getAddress().getPort());
        System.out.flush();
    }

    private static void count(String what) {
        COUNTS.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private static void customer(HttpExchange ex, long slowMillis, String retryAfter, boolean perAttempt)
            throws IOException {
        String raw = ex.getRequestURI().getRawPath().substring("/customers/".length());
        String id = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        count("requests");
        String fault;
        if (perAttempt) {
            double roll = ThreadLocalRandom.current().nextDouble();
            fault = roll < 0.10 ? "5xx" : roll < 0.15 ? "429" : roll < 0.16 ? "reset" : roll < 0.17 ? "truncated"
                    : roll < 0.18 ? "slow" : null;
        } else {
            fault = perIdFault(id, ATTEMPTS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
        }
        try (ex) {
            switch (fault) {
                case null -> ok(ex, id);
                case "5xx" -> {
                    int status = new int[] {500, 502, 503, 504}[ThreadLocalRandom.current().nextInt(4)];
                    count("status_" + status);
                    send(ex, status, "text/plain", "unwell\n");
                }
                case "429" -> {
                    count("status_429");
                    ex.getResponseHeaders().set("Retry-After", retryAfter);
                    send(ex, 429, "text/plain", "slow down\n");
                }
                case "reset" -> {
                    count("reset_no_response");
                    // An exception out of the handler makes the JDK server drop the connection unanswered.
                    throw new IOException("fault: reset");
                }
                case "truncated" -> {
                    count("reset_truncated_body");
                    byte[] body = body(id);
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, body.length);
                    OutputStream os = ex.getResponseBody();
                    os.write(body, 0, body.length / 2);
                    os.flush();
                    // Closing with bytes missing makes the JDK server close the connection mid-body.
                    throw new IOException("fault: truncated");
                }
                default -> {
                    count("slow");
                    try {
                        Thread.sleep(slowMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ok(ex, id);
                }
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
