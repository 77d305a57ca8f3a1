package dev.harvest.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completion is crash-safe: a run stopped between its final renames (results renamed, failed still
 * {@code .part}, journal still there; or both renamed) is finished by the next run of the job, and
 * the counts it prints are what the files hold. The intermediate states are made for real: a final
 * name taken by a non-empty directory makes that rename fail, as if the process had died there.
 */
@Tag("slow")
class CompletionCrashTest {
    private static final int IDS = 300;

    @TempDir
    Path dir;

    private HttpServer server;
    /** Created (non-empty) while the run fetches, after its start-up checks, so the rename onto it fails. */
    private volatile Path blockRename;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/c/", ex -> {
            Path block = blockRename;
            if (block != null) {
                Files.createDirectories(block.resolve("in-the-way"));
            }
            String id = ex.getRequestURI().getPath().substring("/c/".length());
            // Every tenth ID is missing, so the failed file has rows too.
            boolean missing = id.endsWith("0");
            byte[] body = (missing ? "no" : "{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(missing ? 404 : 200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private Path input;
    private Path out;

    private String[] args(String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("--input", input.toString(),
                "--url", "http://127.0.0.1:" + server.getAddress().getPort() + "/c/{id}", "--out", out.toString(),
                "--results", out.resolve("results.jsonl").toString(), "--failed", out.resolve("failed.csv").toString(),
                "-q", "--concurrency", "8", "--retries", "0"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @BeforeEach
    void files() throws IOException {
        input = Harvest.idFile(dir, "ids.txt", "customer_id",
                IntStream.rangeClosed(1, IDS).mapToObj(i -> "C" + i).toList());
        out = Files.createDirectory(dir.resolve("out"));
    }

    /** Runs the job with one final name blocked: it stops in the middle of completing (exit 3). */
    private void stopWhileRenaming(Path blocked) {
        blockRename = blocked;
        Harvest.Result r = Harvest.run(args());
        blockRename = null;
        assertEquals(3, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("cannot finish the output files"), r.stderr());
        deleteTree(blocked);
    }

    private static void deleteTree(Path p) {
        try (var s = Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job is complete: final names only, each ID once, and the printed and summary counts are the files'. */
    private void assertCompleted(Harvest.Result r) throws IOException {
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        List<String> names = Harvest.names(out);
        assertTrue(names.stream().noneMatch(n -> n.endsWith(".part") || n.endsWith(".journal")), names.toString());
        List<String> results = Harvest.lines(out.resolve("results.jsonl"));
        List<String> failed = Harvest.lines(out.resolve("failed.csv"));
        assertEquals(IDS - IDS / 10, results.size());
        assertEquals(IDS / 10 + 1, failed.size());
        assertEquals(IDS - IDS / 10, results.stream().distinct().count(), "no ID twice");
        JsonNode s = new ObjectMapper().readTree(Harvest.only(out, "summary-").toFile());
        assertEquals("completed", s.path("outcome").asText());
        assertEquals(results.size(), s.path("ok").asLong());
        assertEquals(failed.size() - 1, s.path("failed").asLong());
        assertEquals(IDS, s.path("lines_done").asLong(), "a plain list has no header");
    }

    @Test
    void stoppedAfterTheResultsRenameIsFinishedByTheResume() throws IOException {
        stopWhileRenaming(out.resolve("failed.csv"));
        assertTrue(Files.exists(out.resolve("results.jsonl")), "results renamed");
        assertTrue(Files.exists(out.resolve("failed.csv.part")), "failed not yet");

        assertCompleted(Harvest.run(args("--resume")));
        assertEquals(2, Harvest.run(args("--resume")).exitCode(), "and then there is nothing left to resume");
    }

    @Test
    void stoppedAfterBothRenamesIsFinishedByResumeAuto() throws IOException {
        stopWhileRenaming(out.resolve("failed.csv"));
        // As if the failed file's rename had happened too and only the journal's removal was lost.
        Files.move(out.resolve("failed.csv.part"), out.resolve("failed.csv"));
        assertFalse(Harvest.names(out).stream().anyMatch(n -> n.endsWith(".part")));

        assertCompleted(Harvest.run(args("--resume=auto")));
    }

    @Test
    void stoppedBeforeAnyRenameIsFinishedByTheResume() throws IOException {
        stopWhileRenaming(out.resolve("results.jsonl"));
        assertTrue(Files.exists(out.resolve("results.jsonl.part")));

        assertCompleted(Harvest.run(args("--resume")));
    }

    @Test
    void aChangedInputStillGetsTheCompletedRunsRenamesFinished() throws IOException {
        stopWhileRenaming(out.resolve("failed.csv"));
        Harvest.idFile(dir, "ids.txt", "customer_id", List.of("D1", "D2"));

        Harvest.Result r = Harvest.run(args("--resume=auto"));

        // The old run's files got their final names; tonight's run cannot then reuse the fixed names.
        assertEquals(2, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("had completed but was stopped while renaming its files"), r.stderr());
        assertTrue(Files.exists(out.resolve("failed.csv")));
        assertEquals(IDS / 10 + 1, Harvest.lines(out.resolve("failed.csv")).size());
        assertTrue(Harvest.names(out).stream().noneMatch(n -> n.endsWith(".journal")), Harvest.names(out).toString());
    }
}
