package dev.harvest.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.io.BufferedWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal stays bounded: a run waiting on the endpoint adds no lines, and a journal of 300,000
 * lines (what a throttled job used to write over days, a line a second) still resumes, in a small heap.
 */
@Tag("slow")
class JournalBoundTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private volatile boolean down;
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch slowArrived = new CountDownLatch(1);

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/c/", ex -> {
            String id = ex.getRequestURI().getPath().substring("/c/".length());
            if (id.equals("SLOW")) {
                slowArrived.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = (down ? "down" : "{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(down ? 503 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private String[] args(Path input, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--input", input.toString(),
                "--url", "http://127.0.0.1:" + server.getAddress().getPort() + "/c/{id}", "--out", out.toString(),
                "-q", "--concurrency", "8", "--retries", "0", "--circuit-window", "50"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static Path journal(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".journal")).findFirst().orElseThrow();
        }
    }

    @Test
    void aRunWaitingOnTheEndpointAddsNoJournalLines() throws Exception {
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("SLOW"));
        Path out = Files.createDirectory(dir.resolve("out"));
        CompletableFuture<Harvest.Result> run = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> run.complete(Harvest.run(args(input, out))));
        assertTrue(slowArrived.await(30, TimeUnit.SECONDS));

        Thread.sleep(3_500); // the store stage used to checkpoint every second regardless

        long lines = Harvest.lines(journal(out)).size();
        release.countDown();
        assertEquals(0, run.get(60, TimeUnit.SECONDS).exitCode());
        assertEquals(2, lines, "the header and the first checkpoint only");
    }

    @Test
    void aJournalOf300000LinesResumesInASmallHeap() throws Exception {
        int ids = 400;
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id",
                IntStream.rangeClosed(1, ids).mapToObj(i -> "C" + i).toList());
        Path out = Files.createDirectory(dir.resolve("out"));
        down = true;
        Harvest.Result stopped = Harvest.run(args(input, out));
        assertEquals(3, stopped.exitCode(), stopped.stderr());
        down = false;

        // Grow it as days of checkpoints would: the same state again and again.
        Path journal = journal(out);
        List<String> lines = Harvest.lines(journal);
        String last = lines.getLast();
        ObjectMapper json = new ObjectMapper();
        ObjectNode state = (ObjectNode) json.readTree(last.substring(0, last.lastIndexOf('\t')));
        state.putArray("d");
        String text = json.writeValueAsString(state);
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        String line = text + "\t" + Long.toHexString(crc.getValue()) + "\n";
        try (BufferedWriter w = Files.newBufferedWriter(journal, StandardOpenOption.APPEND)) {
            for (int i = 0; i < 300_000; i++) {
                w.write(line);
            }
        }

        List<String> cmd = Harvest.childCommand(args(input, out, "--resume"));
        cmd.replaceAll(a -> a.startsWith("-Xmx") ? "-Xmx64m" : a);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));

        int failed = Harvest.lines(Harvest.only(out, "failed-")).size() - 1;
        assertTrue(failed > 0, "the stopped run's failures are kept");
        assertEquals(1, p.exitValue(), output);
        JsonNode s = json.readTree(Harvest.only(out, "summary-").toFile());
        assertEquals(ids - failed, s.path("ok").asLong());
        assertEquals(ids - failed, Harvest.lines(Harvest.only(out, "results-")).size());
    }
}
