package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --concurrency auto} against a server with a capacity knee: 8 workers taking 20 ms each,
 * with a queue behind them. The run completes with every ID, and the limit it settles on is near
 * 8, not the 1000 it may reach (a generous band: this asserts the direction, not the timing).
 */
@Tag("slow")
class AutoConcurrencyTest {
    private static final int WORKERS = 8;

    @TempDir
    Path dir;

    @Test
    void aBadMaxIsRefusedBeforeAnyOutput() throws Exception {
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1"));
        Path out = dir.resolve("out");
        Harvest.Result r = Harvest.run(Map.of(), "--input", input.toString(), "--url", "http://127.0.0.1:9/c/{id}",
                "--out", out.toString(), "--concurrency", "auto:0", "-q");
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("--concurrency: expected auto:MAX with MAX a whole number from 1 to 10000, got 'auto:0'"),
                r.stderr());
        assertTrue(!Files.exists(out) || Harvest.names(out).isEmpty(), "no output for a config error");
    }

    @Test
    void autoSettlesNearTheServersKneeAndFetchesEveryId() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
        server.setExecutor(workers);
        server.createContext("/c/", exchange -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String id = exchange.getRequestURI().getPath().substring(3);
            byte[] body = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            List<String> ids = IntStream.rangeClosed(1, 1500).mapToObj(i -> "C" + i).toList();
            Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
            Harvest.Result r = Harvest.run(Map.of(), "--input", input.toString(),
                    "--url", "http://127.0.0.1:" + server.getAddress().getPort() + "/c/{id}",
                    "--out", dir.toString(), "--concurrency", "auto", "--timeout", "30s", "-q");
            assertEquals(0, r.exitCode(), r.stderr());

            List<String> results = Files.readAllLines(Harvest.only(dir, "results-"));
            List<String> got = new ArrayList<>();
            for (String line : results) {
                got.add(new ObjectMapper().readTree(line).get("id").asText());
            }
            assertEquals(ids.stream().sorted().toList(), got.stream().sorted().toList(), "every ID once in the results");

            JsonNode summary = new ObjectMapper().readTree(Harvest.only(dir, "summary-").toFile());
            assertEquals("auto:1000", summary.get("config").get("concurrency").asText());
            int limit = summary.get("concurrency").get("limit").asInt();
            assertTrue(limit >= 2 && limit <= 40, "limit near the knee of " + WORKERS + ", not " + limit);
            double floor = summary.get("concurrency").get("latency_floor_ms").asDouble();
            assertTrue(floor >= 19, "each request takes 20 ms at least: floor " + floor);
        } finally {
            server.stop(0);
            workers.shutdownNow();
        }
    }
}
