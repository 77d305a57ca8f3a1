package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
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
 * The failure-ratio circuit, through the CLI: a server failing every request stops the run with
 * exit 3 after a window's worth of evidence (not after a million failed rows), the rest stays for
 * the resume, and failures that are the data's fault (404, bad JSON) never trip it.
 */
@Tag("slow")
class CircuitTest {
    private static final int IDS = 2000;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private String[] args(Path input, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "--backoff", "10ms", "--max-retry-wait", "50ms", "--timeout", "2s", "-q"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private static int failedRows(Path out) throws Exception {
        try (var s = Files.list(out)) {
            Path f = s.filter(p -> p.getFileName().toString().startsWith("failed-")).findFirst().orElseThrow();
            return Files.readAllLines(f).size() - 1;
        }
    }

    private static Harvest.Result verify(Path input, Path out) {
        return Harvest.run("verify", "--input", input.toString(), "--results", Harvest.only(out, "results-").toString(),
                "--failed", Harvest.only(out, "failed-").toString());
    }

    @Test
    void aServerFailingEverythingTripsTheCircuitAndTheResumeCompletesOnceItRecovers() throws Exception {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse().withStatus(503).withBody("down")));
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id",
                IntStream.rangeClosed(1, IDS).mapToObj(i -> "C" + i).toList());
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result r = Harvest.run(args(input, out));

        assertEquals(3, r.exitCode(), r.stderr());
        // One line naming the cause (WireMock's few threads may also let some requests time out).
        List<String> err = r.stderr().lines().toList();
        assertEquals(1, err.size(), r.stderr());
        assertTrue(err.getFirst().matches("harvest: aborted: endpoint failing: 200 of the last 200 requests failed "
                + "\\(http_5xx \\d+(, timeout \\d+)?\\); continue with the same command and --resume"), err.getFirst());
        // Only what failed before the window filled is in the failed file; the rest waits for the resume.
        int failed = failedRows(out);
        assertTrue(failed <= 200, failed + " failed rows");
        int requests = server.getAllServeEvents().size();
        assertTrue(requests < 300, requests + " requests to a dead endpoint");
        assertTrue(Files.readString(Harvest.only(out, "harvest-")).contains("aborting: endpoint failing"));

        server.resetAll();
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
        Harvest.Result resumed = Harvest.run(args(input, out, "--resume"));

        assertEquals(failed > 0 ? 1 : 0, resumed.exitCode(), resumed.stderr());
        assertEquals(failed, failedRows(out), "the resume keeps the first run's failed rows and adds none");
        int fetched = server.getAllServeEvents().size();
        assertTrue(fetched >= IDS - failed && fetched <= IDS - failed + 10, fetched + " requests: each unfinished ID once");
        Harvest.Result v = verify(input, out);
        assertEquals(0, v.exitCode(), v.stdout());
        assertTrue(v.stdout().endsWith("0 missing, 0 duplicated\n"), v.stdout());
    }

    @Test
    void anIdWaitingToRetryDoesNotHoldUpAnAbortedRun() throws Exception {
        // C1 is told to come back in 30 s; every other ID fails with a 500 and trips the circuit meanwhile.
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse().withStatus(500)));
        server.stubFor(get(urlEqualTo("/c/C1")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id",
                IntStream.rangeClosed(1, 500).mapToObj(i -> "C" + i).toList());
        Path out = Files.createDirectory(dir.resolve("out"));

        long start = System.nanoTime();
        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "--backoff", "10ms", "--max-retry-wait", "60s", "--circuit-window", "50",
                "--retry-budget", "1", "-q"); // a budget that cannot run dry: C1 must get its retry
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertEquals(3, r.exitCode(), r.stderr());
        assertTrue(seconds < 20, "the aborted run waited for C1's 30 s Retry-After: it took " + seconds + " s");
        assertEquals(1, server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/c/C1")).count());
        // C1 is neither a result nor a failure (the aborted run's .part files): it is left for the resume.
        for (String name : Harvest.names(out)) {
            if (name.startsWith("failed-") || name.startsWith("results-")) {
                assertTrue(Files.readAllLines(out.resolve(name)).stream()
                        .noneMatch(l -> l.startsWith("C1,") || l.contains("\"C1\"")), name);
            }
        }
    }

    @Test
    void aTransientFailureIsFailedOnlyWithItsRetriesUsedUpTheRestIsLeftForTheResume() throws Exception {
        // Every request fails: the retry budget runs dry at once, then the circuit trips.
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse().withStatus(500)));
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id",
                IntStream.rangeClosed(1, 1000).mapToObj(i -> "C" + i).toList());
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result r = Harvest.run(args(input, out, "--retries", "2"));

        assertEquals(3, r.exitCode(), r.stderr());
        // No ID failed "not retried: retry budget exhausted": a failed row used all its retries;
        // the IDs still waiting for the budget when the circuit tripped are unfinished, not failed.
        List<String> rows;
        try (var files = Files.list(out)) { // the aborted run's failed-*.part
            rows = Files.readAllLines(files.filter(p -> p.getFileName().toString().startsWith("failed-"))
                    .findFirst().orElseThrow());
        }
        for (String row : rows.subList(1, rows.size())) {
            assertTrue(row.matches("C\\d+,http_5xx,500,3,true,HTTP 500"), row);
        }
        assertTrue(rows.size() - 1 < 200, (rows.size() - 1) + " failed rows");
    }

    @Test
    void failuresThatAreTheDatasFaultNeverTripIt() throws Exception {
        // 70% of the IDs fail, but as 404s and bad JSON: the endpoint itself is healthy.
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
        server.stubFor(get(urlPathMatching("/c/BAD.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"unterminated\":")));
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", IntStream.range(0, 1000)
                .mapToObj(i -> (i % 10 < 4 ? "NF" : i % 10 < 7 ? "BAD" : "OK") + i).toList());
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result r = Harvest.run(args(input, out));

        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals(700, failedRows(out));
        assertEquals(0, verify(input, out).exitCode());
    }

    @Test
    void windowZeroTurnsItOffAndARatioOfZeroIsRefused() throws Exception {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse().withStatus(500)));
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id",
                IntStream.range(0, 300).mapToObj(i -> "C" + i).toList());
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result off = Harvest.run(args(input, out, "--circuit-window", "0", "--retries", "0"));
        assertEquals(1, off.exitCode(), off.stderr());
        assertEquals(300, failedRows(out));

        Path out2 = Files.createDirectory(dir.resolve("out2"));
        Harvest.Result bad = Harvest.run(args(input, out2, "--circuit-ratio", "0"));
        assertEquals(2, bad.exitCode());
        assertEquals("harvest: error: --circuit-ratio: expected a ratio above 0 and at most 1 "
                + "(--circuit-window 0 turns the circuit off), got '0'\n", bad.stderr());
        assertEquals(List.of(), Harvest.names(out2));
    }
}
