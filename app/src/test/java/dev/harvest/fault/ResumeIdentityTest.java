package dev.harvest.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import dev.harvest.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume continues the run it finds only if the input is the one that run read: the nightly input
 * replaced under the same name, or standard input, is never taken for it. Also: counts after a
 * resume are what the files hold.
 */
@Tag("slow")
class ResumeIdentityTest {
    private static final int IDS = 600;

    @TempDir
    Path dir;

    private HttpServer server;
    /** While true the endpoint answers 503 to everything, so the run trips its circuit and stops unfinished. */
    private volatile boolean down;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/c/", ex -> {
            String id = ex.getRequestURI().getPath().substring("/c/".length());
            byte[] body = (down ? "down" : "{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", down ? "text/plain" : "application/json");
            ex.sendResponseHeaders(down ? 503 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String[] args(String input, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--input", input,
                "--url", "http://127.0.0.1:" + server.getAddress().getPort() + "/c/{id}", "--out", out.toString(),
                "-q", "--concurrency", "8", "--backoff", "1ms", "--retries", "0", "--circuit-window", "50"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static List<String> ids(String prefix) {
        return IntStream.rangeClosed(1, IDS).mapToObj(i -> prefix + i).toList();
    }

    /** Runs a job that stops unfinished (exit 3): the endpoint is down. */
    private void unfinishedRun(String input, Path out, byte[] stdin) {
        down = true;
        Harvest.Result r = run(stdin, args(input, out));
        assertEquals(3, r.exitCode(), r.stderr());
        assertTrue(Harvest.names(out).stream().anyMatch(n -> n.endsWith(".journal")), "left for a resume");
        down = false;
    }

    private static Harvest.Result run(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, Map.of(), new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Harvest.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every file in the directory with its size: to show a run changed nothing. */
    private static Map<String, Long> sizes(Path out) throws Exception {
        Map<String, Long> m = new HashMap<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.toList()) {
                m.put(p.getFileName().toString(), Files.size(p));
            }
        }
        return m;
    }

    @Test
    void anInputReplacedUnderTheSameNameIsNotResumed() throws Exception {
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids("A"));
        Path out = Files.createDirectory(dir.resolve("out"));
        unfinishedRun(input.toString(), out, new byte[0]);

        // Tonight's list, under last night's name.
        Harvest.idFile(dir, "ids.txt", "customer_id", ids("BB"));
        Map<String, Long> before = sizes(out);
        Harvest.Result refused = run(new byte[0], args(input.toString(), out, "--resume"));

        assertEquals(2, refused.exitCode(), refused.stderr());
        assertEquals(1, refused.stderr().lines().count(), refused.stderr());
        assertTrue(refused.stderr().startsWith("harvest: error: --resume: --input " + input
                + " is not the input of the unfinished run: its size changed"), refused.stderr());
        assertEquals(before, sizes(out), "nothing written, no lock file left");

        Harvest.Result afresh = run(new byte[0], args(input.toString(), out, "--resume=auto"));

        assertEquals(0, afresh.exitCode(), afresh.stderr());
        assertTrue(afresh.stderr().startsWith("harvest: note: --resume=auto: not continuing run "), afresh.stderr());
        assertTrue(afresh.stderr().contains("starting afresh"), afresh.stderr());
        Path results;
        try (Stream<Path> s = Files.list(out)) {
            results = s.filter(p -> p.getFileName().toString().matches("results-.*\\.jsonl")).findFirst().orElseThrow();
        }
        ObjectMapper json = new ObjectMapper();
        List<String> got = new ArrayList<>();
        for (String row : Harvest.lines(results)) {
            got.add(json.readTree(row).path("id").asText());
        }
        assertTrue(got.size() == IDS && got.containsAll(ids("BB")), "today's IDs, each once: " + got.size() + " rows");
    }

    @Test
    void sameSizeAndTimeButOtherContentIsNotResumed() throws Exception {
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids("A"));
        FileTime time = Files.getLastModifiedTime(input);
        Path out = Files.createDirectory(dir.resolve("out"));
        unfinishedRun(input.toString(), out, new byte[0]);

        Harvest.idFile(dir, "ids.txt", "customer_id", ids("B")); // same length: A1 → B1 ...
        Files.setLastModifiedTime(input, time);
        Harvest.Result refused = run(new byte[0], args(input.toString(), out, "--resume"));

        assertEquals(2, refused.exitCode(), refused.stderr());
        assertTrue(refused.stderr().contains("is not the input of the unfinished run: its content differs"), refused.stderr());
    }

    @Test
    void standardInputIsNeverResumed() throws Exception {
        byte[] yesterday = ("customer_id\n" + String.join("\n", ids("A"))).getBytes(StandardCharsets.UTF_8);
        byte[] today = ("customer_id\n" + String.join("\n", ids("B"))).getBytes(StandardCharsets.UTF_8);
        Path out = Files.createDirectory(dir.resolve("out"));
        unfinishedRun("-", out, yesterday);
        Map<String, Long> before = sizes(out);

        Harvest.Result refused = run(today, args("-", out, "--resume"));

        assertEquals(2, refused.exitCode(), refused.stderr());
        assertEquals(1, refused.stderr().lines().count(), refused.stderr());
        assertTrue(refused.stderr().startsWith("harvest: error: --resume: a run reading standard input or a pipe cannot be resumed"
                + " (harvest cannot check that it is the same input); cannot continue run "), refused.stderr());
        assertEquals(before, sizes(out), "nothing written");

        Harvest.Result afresh = run(today, args("-", out, "--resume=auto"));

        assertEquals(0, afresh.exitCode(), afresh.stderr());
        assertTrue(afresh.stderr().contains("starting afresh"), afresh.stderr());
    }

    @Test
    void countsAfterAResumeAreWhatTheFilesHold() throws Exception {
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids("A"));
        Path out = Files.createDirectory(dir.resolve("out"));
        unfinishedRun(input.toString(), out, new byte[0]);
        int failedBefore = Harvest.lines(part(out, "failed-")).size() - 1;
        assertTrue(failedBefore > 0, "the stopped run had failed IDs to carry over");

        Harvest.Result resumed = run(new byte[0], args(input.toString(), out, "--resume"));
        assertEquals(1, resumed.exitCode(), resumed.stderr());

        JsonNode s = new ObjectMapper().readTree(Harvest.only(out, "summary-").toFile());
        long results = Harvest.lines(Harvest.only(out, "results-")).size();
        long failed = Harvest.lines(Harvest.only(out, "failed-")).size() - 1;
        assertEquals(results, s.path("ok").asLong(), "ok is the results file's rows");
        assertEquals(failed, s.path("failed").asLong(), "failed is the failed file's rows");
        assertEquals(failedBefore, failed);
        assertEquals(0, s.path("skipped").asLong(), "nothing skipped (a plain list has no header): " + s.path("skipped_by_reason"));
        assertEquals(IDS, s.path("lines_read").asLong());
        assertEquals(IDS, s.path("lines_done").asLong(), "each line once");
        assertEquals(failedBefore, s.path("done_before").asLong());
    }

    private static Path part(Path out, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".part"))
                    .findFirst().orElseThrow();
        }
    }
}
