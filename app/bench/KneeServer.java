import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A service with a capacity knee, for app/bench/knee.sh. JDK only, run with the source launcher in
 * its own process: {@code java KneeServer.java [PORT] [WORKERS] [SERVICE_MS] [queue|shed]}
 * (defaults 0 = any free port, 50, 20, queue). It prints {@code listening PORT} once ready.
 *
 * <p>{@code GET /customers/{id}} takes one of WORKERS workers for SERVICE_MS and answers 200 with a
 * small JSON body. Past WORKERS requests at once:
 * <ul>
 *   <li>{@code queue}: requests wait in an unbounded queue for a worker, so latency grows with
 *       every request in flight past the knee (what an overloaded thread-pool server does);</li>
 *   <li>{@code shed}: up to WORKERS requests wait; any more get an immediate 503 (a server that
 *       sheds load, without Retry-After).</li>
 * </ul>
 * {@code GET /stats} prints served, shed and the most requests seen at once.
 */
public final class KneeServer {
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        long serviceMs = args.length > 2 ? Long.parseLong(args[2]) : 20;
        boolean shed = args.length > 3 && args[3].equals("shed");
        Semaphore free = new Semaphore(workers, true);
        AtomicInteger present = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        LongAdder served = new LongAdder();
        LongAdder shedCount = new LongAdder();

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        // One virtual thread per exchange: the queue is the workers' semaphore, not the accept loop.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/customers/", exchange -> {
            int now = present.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            try {
                if (shed && now > 2 * workers) {
                    shedCount.increment();
                    send(exchange, 503, "{\"error\":\"overloaded\"}");
                    return;
                }
                free.acquireUninterruptibly();
                try {
                    Thread.sleep(serviceMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    free.release();
                }
                String id = exchange.getRequestURI().getPath().substring("/customers/".length());
                served.increment();
                send(exchange, 200, "{\"customer\":\"" + id + "\",\"name\":\"Customer " + id + "\"}");
            } finally {
                present.decrementAndGet();
            }
        });
        server.createContext("/stats", exchange -> send(exchange, 200,
                "served " + served.sum() + "\nshed " + shedCount.sum() + "\npeak_in_flight " + peak.get() + "\n"));
        server.start();
        System.out.println("listening " + server.getAddress().getPort());
        System.out.flush();
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
