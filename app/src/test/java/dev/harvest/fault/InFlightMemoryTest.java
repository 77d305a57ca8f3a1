package dev.harvest.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies being received are bounded by bytes like bodies waiting for the store: with the
 * launcher's heap and JVM options (a child JVM), big bodies at high concurrency, a chunked body
 * without a Content-Length and thousands of requests in flight all finish, slower rather than out
 * of memory (exit 3, which every resume would hit again). The server generates its bodies as it
 * sends them, so the test JVM holds none of them.
 */
@Tag("slow")
class InFlightMemoryTest {
    private static final byte[] PAD = new byte[64 * 1024];
    private static HttpServer server;
    private static String base;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        Arrays.fill(PAD, (byte) 'x');
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8192);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/fixed/", e -> send(e, size(e), true));
        server.createContext("/chunked/", e -> send(e, size(e), false));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    /** The body size an ID asks for: the part before the first '-' in bytes ("2097152-7"). */
    private static long size(HttpExchange e) {
        String path = e.getRequestURI().getPath();
        String id = path.substring(path.lastIndexOf('/') + 1);
        return Long.parseLong(id.substring(0, id.indexOf('-')));
    }

    /**
     * A JSON body of exactly {@code size} bytes, {"details":[{"id":"ID"}],"pad":"xxx..."},
     * written as it is generated; with or without a Content-Length (chunked).
     */
    private static void send(HttpExchange e, long size, boolean withLength) throws IOException {
        String path = e.getRequestURI().getPath();
        String id = path.substring(path.lastIndexOf('/') + 1);
        byte[] head = ("{\"details\":[{\"id\":\"" + id + "\"}],\"pad\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().add("Content-Type", "application/json");
        try (e; OutputStream out = e.getResponseBody()) {
            e.sendResponseHeaders(200, withLength ? size : 0);
            out.write(head);
            for (long left = size - head.length - tail.length; left > 0; ) {
                int n = (int) Math.min(left, PAD.length);
                out.write(PAD, 0, n);
                left -= n;
            }
            out.write(tail);
        } catch (IOException gone) {
            // the client cut the body off (body_too_large): expected for the oversized ones
        }
    }

    /** 2 MiB bodies at the default --concurrency (64): 128 MiB if all were held at once. */
    @Test
    void twoMegabyteBodiesAtTheDefaultConcurrency() throws Exception {
        List<String> ids = ids(2 << 20, 160);
        Job job = run(ids, base + "/fixed/{id}");
        assertEquals(0, job.exit, job.log);
        assertEquals(new TreeSet<>(ids), job.results);
    }

    /**
     * 15 MB bodies (under the default --max-body, 16 MiB) two at a time, each written whole to the
     * results (JSON Lines), so the store stage holds its rendering of one as well.
     */
    @Test
    void fifteenMegabyteBodiesAtConcurrency2() throws Exception {
        List<String> ids = ids(15_000_000, 8);
        Job job = run(ids, base + "/fixed/{id}", "--concurrency", "2", "--format", "jsonl");
        assertEquals(0, job.exit, job.log);
        assertEquals(new TreeSet<>(ids), job.results);
    }

    /**
     * Chunked bodies (no Content-Length) at --concurrency 16: 100 MB ones are cut off at the
     * default --max-body (16 MiB) as body_too_large, never retried; 3 MB ones are all stored.
     */
    @Test
    void chunkedBodiesWithoutALengthAtConcurrency16() throws Exception {
        List<String> big = ids(100_000_000, 16);
        List<String> mid = ids(3_000_000, 24);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < mid.size(); i++) {
            all.add(mid.get(i));
            if (i < big.size()) {
                all.add(big.get(i));
            }
        }
        Job job = run(all, base + "/chunked/{id}", "--concurrency", "16");
        assertEquals(1, job.exit, "completed, some IDs failed; " + job.log);
        assertEquals(new TreeSet<>(mid), job.results);
        List<String> failed = Harvest.lines(Harvest.only(job.out, "failed-"));
        assertEquals(big.size() + 1, failed.size(), failed.toString());
        for (String id : big) {
            assertTrue(failed.stream().anyMatch(l -> l.startsWith(id + ",body_too_large,,1,false,")), failed.toString());
        }
    }

    /**
     * --concurrency 5000 (~30-byte bodies, 300 ms each): the HTTP client's own state per request
     * must fit beside the body budget. (With the client's default 16 KiB read buffer ~35 KB a
     * request, 5,000 in flight ran out of memory; with the launcher's 4 KiB ~25 KB, and 5,000 only
     * just fit.) So the run holds as many in flight as the heap does (~3,100) and says so: slower,
     * never out of memory, every ID in the results.
     */
    @Test
    void fiveThousandRequestedRunsAtWhatTheHeapHolds() throws Exception {
        List<String> ids = ids(30, 9_000);
        try (RawHttpServer slow = new RawHttpServer(Duration.ofMillis(300),
                path -> RawHttpServer.ok("{\"details\":[{\"id\":\"" + path.substring(path.lastIndexOf('/') + 1) + "\"}]}"))) {
            Job job = run(ids, slow.baseUrl() + "/small/{id}", "--concurrency", "5000");
            assertEquals(0, job.exit, job.log);
            assertEquals(new TreeSet<>(ids), job.results);
            assertTrue(job.log.matches("(?s).*harvest: note: --concurrency 5000: this heap \\(\\d+ MiB\\) holds \\d+ requests.*"),
                    job.log);
        }
    }

    /**
     * A --max-body the heap cannot hold in memory is a configuration error (exit 2, before any
     * output), not an out-of-memory abort later; downloads stream to disk and may be bigger.
     */
    @Test
    void aMaxBodyTheHeapCannotHoldIsAConfigError() throws Exception {
        Path in = Harvest.idFile(dir, "ids.csv", "id", List.of("1"));
        Path out = dir.resolve("out");
        List<String> cmd = new ArrayList<>(Harvest.childCommand("--input", in.toString(), "--url", base + "/fixed/{id}",
                "--out", out.toString(), "--max-body", "100MiB"));
        cmd.remove("-Xmx256m");
        cmd.addAll(1, BigBodiesTest.launcherJvmOptions());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), text);
        assertTrue(text.matches("(?s).*--max-body: at most \\d+MiB with this heap.*"), text);
        assertTrue(Files.notExists(out), "no output before the check");

        Files.createDirectory(out);
        Path saveTo = Files.createDirectory(dir.resolve("files"));
        List<String> download = new ArrayList<>(Harvest.childCommand("--input", in.toString(),
                "--url", base + "/fixed/2000-{id}", "--save-to", saveTo.toString(), "--out", out.toString(),
                "--max-body", "1GiB", "-q"));
        download.remove("-Xmx256m");
        download.addAll(1, BigBodiesTest.launcherJvmOptions());
        Process d = new ProcessBuilder(download).redirectErrorStream(true).start();
        String dText = new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(d.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, d.exitValue(), dText);
    }

    /**
     * The ID of each results row without reading whole rows into memory: the first CSV column
     * (after the header), or a JSON Lines row's leading "id" (a row is {"id":"...",...}).
     */
    private static List<String> firstColumns(Path results) throws IOException {
        List<String> ids = new ArrayList<>();
        boolean jsonl = results.toString().endsWith(".jsonl");
        try (var in = new java.io.BufferedInputStream(Files.newInputStream(results), 1 << 16)) {
            StringBuilder line = new StringBuilder();
            boolean header = !jsonl;
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c == '\n') {
                    String l = line.toString();
                    if (!header) {
                        ids.add(jsonl ? l.substring("{\"id\":\"".length(), l.indexOf('"', 7)) : l.split(",")[0]);
                    }
                    header = false;
                    line.setLength(0);
                } else if (line.length() < 64) {
                    line.append((char) c);
                }
            }
        }
        return ids;
    }

    private static List<String> ids(long size, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> size + "-" + i).toList();
    }

    private record Job(int exit, String log, Path out, Set<String> results) {
    }

    /**
     * Runs harvest with the launcher's JVM options; results are one CSV row per ID (its record),
     * unless {@code more} names a format.
     */
    private Job run(List<String> ids, String url, String... more) throws Exception {
        Path in = Harvest.idFile(dir, "ids.csv", "id", ids);
        Path out = Files.createDirectory(dir.resolve("out"));
        List<String> args = new ArrayList<>(List.of("--input", in.toString(), "--url", url,
                "--out", out.toString(), "--timeout", "120s", "-q"));
        args.addAll(List.of(more));
        if (!args.contains("--format")) {
            args.addAll(List.of("--format", "csv", "--records", "/details", "--fields", "id=/id"));
        }
        List<String> cmd = new ArrayList<>(Harvest.childCommand(args.toArray(String[]::new)));
        cmd.remove("-Xmx256m");
        cmd.addAll(1, BigBodiesTest.launcherJvmOptions());
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(150, TimeUnit.SECONDS), "finished within 150 s");
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(log);
        if (Harvest.names(out).stream().noneMatch(n -> n.startsWith("results-") && !n.endsWith(".part"))) {
            throw new AssertionError("no results file: exit " + p.exitValue() + "; child output: " + text);
        }
        Set<String> results = new TreeSet<>();
        for (String row : firstColumns(Harvest.only(out, "results-"))) {
            assertTrue(results.add(row), "each ID once: " + row);
        }
        return new Job(p.exitValue(), "exit " + p.exitValue() + "; child output: " + text, out, results);
    }
}
