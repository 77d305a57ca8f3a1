package dev.harvest.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a download job, then --resume: every file is intact and listed exactly
 * once, completed downloads are not fetched again, and the killed run's partial files are gone.
 */
@Tag("slow")
class DownloadKillResumeTest {
    private static final int IDS = 600;

    @TempDir
    Path dir;
    HttpServer server;
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    static byte[] body(String id) {
        byte[] b = new byte[20_000 + Math.floorMod(id.hashCode(), 20_000)];
        new Random(id.hashCode()).nextBytes(b);
        return b;
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/files/", ex -> {
            String id = ex.getRequestURI().getPath().substring("/files/".length());
            requests.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            byte[] b = body(id);
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void killedMidDownloadThenResumedDownloadsEachFileOnceMore() throws Exception {
        List<String> ids = IntStream.rangeClosed(1, IDS).mapToObj(i -> String.format("D%04d", i)).toList();
        Path input = Harvest.idFile(dir, "ids.txt", "id", ids);
        Path out = Files.createDirectory(dir.resolve("out"));
        Path dl = Files.createDirectory(dir.resolve("dl"));
        List<String> flags = List.of("--input", input.toString(), "--url", "http://127.0.0.1:" + server.getAddress().getPort()
                + "/files/{id}", "--save-to", dl.toString(), "--file-name", "{id}.bin", "--out", out.toString(),
                "--format", "csv", "--concurrency", "8", "-q");
        Path log = dir.resolve("child.log");

        Process first = new ProcessBuilder(Harvest.childCommand(flags.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (first.isAlive() && System.nanoTime() < deadline && resultsPartRows(out) < 150) {
            Thread.sleep(10);
        }
        // The .part grows at a checkpoint, just before its journal line: give that line time to land,
        // so the kill usually leaves journaled lines to skip (which ones does not matter below).
        Thread.sleep(150);
        assertTrue(first.isAlive(), "still running when killed");
        first.destroyForcibly().waitFor();
        int beforeResume = requests.values().stream().mapToInt(AtomicInteger::get).sum();
        assertTrue(beforeResume < IDS, "killed mid-way");
        requests.clear();

        List<String> resume = new ArrayList<>(flags);
        resume.add("--resume");
        Process second = new ProcessBuilder(Harvest.childCommand(resume.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        assertTrue(second.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, second.exitValue(), Files.readString(log));

        JsonNode summary = new ObjectMapper().readTree(Harvest.only(out, "summary-").toFile());
        long doneBefore = summary.path("done_before").asLong();
        assertTrue(doneBefore > 0, "the resume skipped the journaled downloads: " + doneBefore);
        assertEquals(IDS - doneBefore, requests.size(), "exactly the IDs not done before were requested");
        assertTrue(requests.values().stream().allMatch(n -> n.get() == 1), "none twice");

        List<String> rows = Harvest.lines(Harvest.only(out, "results-"));
        assertEquals("id,url,path,bytes,sha256,content_type,http_status", rows.getFirst());
        Map<String, Integer> seen = new HashMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            seen.merge(f[0], 1, Integer::sum);
            assertEquals(dl.resolve(f[0] + ".bin").toString(), f[2]);
            byte[] expected = body(f[0]);
            assertArrayEquals(expected, Files.readAllBytes(Path.of(f[2])), f[0] + " intact");
            assertEquals(String.valueOf(expected.length), f[3]);
        }
        assertEquals(IDS, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "each ID listed once");
        assertEquals(ids.stream().map(id -> id + ".bin").toList(), Harvest.names(dl), "no partial or temporary files");
        assertTrue(Harvest.names(out).stream().noneMatch(n -> n.endsWith(".part") || n.endsWith(".journal")));
    }

    private static long resultsPartRows(Path out) throws Exception {
        try (var s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".csv.part"))
                    .mapToLong(p -> p.toFile().length() / 150).sum();
        }
    }
}
