package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cron recipe's housekeeping: {@code --keep-runs N} deletes this job's older finished runs'
 * stamped files (never an unfinished run's, never another job's), {@code --latest} keeps stable
 * names pointing at the newest completed run; and the Indexed Job hint when HARVEST_SHARDS is missing.
 */
class KeepRunsAndLatestTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private Harvest.Result run(Path out, Path input, String path, String... extra) {
        String[] args = Stream.concat(Stream.of("--input", input.toString(), "--url", server.baseUrl() + path,
                "--out", out.toString(), "-q"), Stream.of(extra)).toArray(String[]::new);
        return Harvest.run(args);
    }

    private static List<String> stamped(Path out, String prefix) {
        return Harvest.names(out).stream().filter(n -> n.startsWith(prefix) && !n.contains("latest")).toList();
    }

    @Test
    void keepRunsKeepsTheNewestFinishedRunsOfThisJobAndLatestPointsAtTheLastOne() throws Exception {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        server.stubFor(get(urlPathMatching("/other/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"o\":1}")));
        Path out = Files.createDirectory(dir.resolve("out"));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("A", "B"));

        // Another job sharing the directory, and an unfinished run of this job (aborted: journal kept).
        assertEquals(0, run(out, input, "/other/{id}").exitCode());
        server.stubFor(get(urlPathMatching("/c/.*")).atPriority(1).willReturn(aResponse().withStatus(503)));
        Harvest.Result aborted = run(out, input, "/c/{id}", "--retries", "0", "--circuit-window", "1", "--circuit-ratio", "1",
                "--concurrency", "1");
        assertEquals(3, aborted.exitCode(), aborted.stderr());
        server.resetAll();
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        server.stubFor(get(urlPathMatching("/other/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"o\":1}")));
        List<String> before = Harvest.names(out);

        List<List<String>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> had = Harvest.names(out);
            Harvest.Result r = run(out, input, "/c/{id}", "--keep-runs", "2", "--latest");
            assertEquals(0, r.exitCode(), r.stderr());
            runs.add(Harvest.names(out).stream().filter(n -> !had.contains(n)).toList());
        }
        List<String> now = Harvest.names(out);
        for (String n : before) {
            assertTrue(now.contains(n), "the other job's files and the unfinished run stay: " + n + " in " + now);
        }
        List<String> first = runs.getFirst().stream().filter(n -> n.matches("(results|failed|harvest|summary)-.*")
                && !n.contains("latest")).toList();
        assertEquals(4, first.size(), runs.toString());
        for (String n : first) {
            assertFalse(now.contains(n), "the oldest finished run of this job is gone: " + n + " in " + now);
        }
        for (List<String> kept : runs.subList(1, 3)) {
            assertTrue(now.containsAll(kept.stream().filter(n -> !n.contains("latest")).toList()), kept + " kept in " + now);
        }
        // 2 kept + the other job's = 3 stamped results files; the aborted run's are .part files.
        assertEquals(3, stamped(out, "results-").stream().filter(n -> n.endsWith(".jsonl")).count(), now.toString());

        Path latest = out.resolve("results-latest.jsonl");
        assertTrue(Files.isSymbolicLink(latest), now.toString());
        String newest = runs.getLast().stream().filter(n -> n.startsWith("results-") && n.endsWith(".jsonl")).findFirst()
                .orElseThrow();
        assertEquals(Path.of(newest), Files.readSymbolicLink(latest), "relative, to the newest run");
        assertEquals(Files.readString(out.resolve(newest)), Files.readString(latest));
        assertTrue(Files.isSymbolicLink(out.resolve("summary-latest.json")) && Files.isSymbolicLink(out.resolve("failed-latest.csv")));
        assertTrue(now.stream().noneMatch(n -> n.endsWith(".tmp")), "no temporary link left: " + now);

        // verify finds the run's summary through the link.
        Harvest.Result v = Harvest.run("verify", "--input", input.toString(), "--results", latest.toString(),
                "--failed", out.resolve("failed-latest.csv").toString());
        assertEquals(0, v.exitCode(), v.stdout() + v.stderr());
    }

    @Test
    void withoutTheOptionsNothingIsDeletedOrLinked() {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{}")));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("A"));
        for (int i = 0; i < 2; i++) {
            assertEquals(0, run(dir, input, "/c/{id}").exitCode());
        }
        assertEquals(2, stamped(dir, "summary-").size());
        assertTrue(Harvest.names(dir).stream().noneMatch(n -> n.contains("latest")), Harvest.names(dir).toString());
    }

    @Test
    void aBadKeepRunsIsAUsageErrorBeforeAnyFile() {
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("A"));
        Path out = dir.resolve("out");
        for (String bad : List.of("0", "-1", "many")) {
            Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                    "--out", dir.toString(), "--keep-runs", bad);
            assertEquals(2, r.exitCode(), r.stderr());
            assertTrue(r.stderr().startsWith("harvest: error: --keep-runs: expected a whole number from 1"), r.stderr());
        }
        assertFalse(Files.exists(out));
        assertEquals(List.of("ids.txt"), Harvest.names(dir));
    }

    @Test
    void anIndexedJobPodWithoutHarvestShardsIsWarned() {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{}")));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("A", "B", "C"));
        String[] args = {"--input", input.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", dir.toString(), "-q"};
        Harvest.Result alone = Harvest.run(Map.of("JOB_COMPLETION_INDEX", "2"), args);
        assertEquals(0, alone.exitCode(), alone.stderr());
        assertTrue(alone.stderr().startsWith("harvest: warning: JOB_COMPLETION_INDEX is set (2, a Kubernetes Indexed Job)"
                + " but HARVEST_SHARDS is not"), alone.stderr());

        Harvest.Result sharded = Harvest.run(Map.of("JOB_COMPLETION_INDEX", "1", "HARVEST_SHARDS", "3"), args);
        assertEquals(0, sharded.exitCode(), sharded.stderr());
        assertFalse(sharded.stderr().contains("warning"), sharded.stderr());
        String[] explicit = Stream.concat(Stream.of(args), Stream.of("--shard", "0/3")).toArray(String[]::new);
        assertFalse(Harvest.run(Map.of("JOB_COMPLETION_INDEX", "0"), explicit).stderr().contains("warning"));
    }
}
