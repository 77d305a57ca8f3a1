package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up mid-run, for real and without root: the run is a child JVM under
 * {@code ulimit -f} (RLIMIT_FSIZE). HotSpot ignores SIGXFSZ, so a write past the limit writes
 * what fits and then fails with EFBIG ("File too large"), the same path as ENOSPC on a full disk.
 * The run must stop cleanly with exit 3 and one line, leave no torn line, and a resume with room
 * again must complete with every ID exactly once.
 */
@Tag("slow")
class DiskFullTest {
    private static final int IDS = 3000;
    /** ulimit -f counts 1024-byte blocks: the results file (about 230 bytes per ID) outgrows it a third of the way in. */
    private static final int LIMIT_BLOCKS = 256;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private final List<String> ids = IntStream.rangeClosed(1, IDS).mapToObj(i -> String.format("C%07d", i)).toList();

    private void stub() {
        server.stubFor(get(urlPathMatching("/customers/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"customer\":\"{{request.pathSegments.[1]}}\",\"name\":\"" + "n".repeat(120)
                        + "\",\"details\":[{\"rank\":1},{\"rank\":2}]}")
                .withTransformers("response-template")));
    }

    private String[] args(Path input, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--input", input.toString(),
                "--url", server.baseUrl() + "/customers/{id}", "--out", out.toString(), "-q", "--concurrency", "16"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** Runs harvest in a child JVM, under {@code ulimit -f blocks} when blocks > 0. */
    private static Harvest.Result child(int blocks, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (blocks > 0) {
            cmd.addAll(List.of("bash", "-c", "ulimit -f " + blocks + " && exec \"$@\"", "bash"));
        }
        int java = cmd.size();
        cmd.addAll(Harvest.childCommand(args));
        cmd.add(java + 1, "-XX:-UsePerfData"); // no hsperfdata file under the limit
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        var outText = new java.util.concurrent.CompletableFuture<String>();
        Thread.ofPlatform().start(() -> {
            try {
                outText.complete(new String(out.readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                outText.complete(e.toString());
            }
        });
        String errText = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run ends (no hang on a full disk)");
        return new Harvest.Result(p.exitValue(), outText.get(10, TimeUnit.SECONDS), errText);
    }

    private static Path part(Path out, String prefix) throws Exception {
        try (var s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".part"))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "*.part in " + Harvest.names(out)));
        }
    }

    @Test
    void aFullDiskStopsTheRunCleanlyAndTheResumeLosesNothing() throws Exception {
        stub();
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
        Path out = Files.createDirectory(dir.resolve("out"));

        // Paced so the disk fills after the first checkpoint that holds rows (checkpoints come each
        // second): unpaced, a fast run filled it first and the cut-back file was empty.
        Harvest.Result full = child(LIMIT_BLOCKS, args(input, out, "--rate", "500"));

        assertEquals(3, full.exitCode(), full.stdout() + full.stderr());
        List<String> err = full.stderr().lines().toList();
        assertEquals(1, err.size(), full.stderr());
        assertTrue(err.getFirst().matches("harvest: aborted: cannot write output: .*results-.*\\.jsonl\\.part: File too large; "
                + "continue with the same command and --resume"), err.getFirst());
        // The .part file was cut back to the last checkpoint: whole lines only, each a complete row.
        byte[] results = Files.readAllBytes(part(out, "results-"));
        assertTrue(results.length > 0 && results.length < LIMIT_BLOCKS * 1024, results.length + " bytes");
        assertEquals('\n', results[results.length - 1], "ends on a whole line");
        ObjectMapper json = new ObjectMapper();
        List<String> rows = new String(results, StandardCharsets.UTF_8).lines().toList();
        for (String row : rows) {
            assertTrue(json.readTree(row).path("body").path("details").size() == 2, "a whole row: " + row);
        }
        assertTrue(rows.size() < IDS, "stopped part-way: " + rows.size());
        // The counts are what the cut-back files hold: outcomes dropped with the torn tail are unfinished.
        var summary = json.readTree(Harvest.only(out, "summary-").toFile());
        assertEquals(rows.size(), summary.path("ok").asLong(), "ok counts the rows kept, not those cut off");
        assertEquals(0, summary.path("failed").asLong());
        String log = Files.readString(Harvest.only(out, "harvest-"));
        assertTrue(log.contains("aborting: cannot write output"), "the cause is in the log");
        assertTrue(Harvest.names(out).stream().anyMatch(n -> n.endsWith(".journal")), "journal kept for the resume");

        Harvest.Result resumed = child(0, args(input, out, "--resume"));

        assertEquals(0, resumed.exitCode(), resumed.stderr());
        Harvest.Result v = Harvest.run("verify", "--input", input.toString(),
                "--results", Harvest.only(out, "results-").toString(), "--failed", Harvest.only(out, "failed-").toString());
        assertEquals(0, v.exitCode(), v.stdout());
        assertEquals("verify: " + IDS + " lines: " + IDS + " in results, 0 in failed, 0 skipped; 0 missing, 0 duplicated\n",
                v.stdout());
    }

    @Test
    void aLogFileThatCannotGrowNeitherHangsNorStopsTheRun() throws Exception {
        stub();
        // --records with a tiny CSV row keeps the results small; -v writes a log line per ID, so the log hits the limit.
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result r = child(128, args(input, out, "-v", "--format", "csv", "--records", "/details",
                "--fields", "customer={id},rank=/rank"));

        assertEquals(0, r.exitCode(), r.stderr());
        Path log = Harvest.only(out, "harvest-");
        assertEquals(List.of("harvest: warning: cannot write the log file " + log + ": File too large; the run goes on without it"),
                r.stderr().lines().toList(), "one line, not Log4j's stack traces");
        assertEquals(128 * 1024, Files.size(log), "the log stopped at the limit");
        assertEquals(IDS * 2 + 1, Harvest.lines(Harvest.only(out, "results-")).size());
    }
}
