package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash promise, with real processes: kill -9 a run at several moments, resume until it
 * completes, and every ID's rows are in the results exactly once, with no torn line.
 */
@Tag("slow")
class KillResumeTest {
    private static final int IDS = 3000;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private String[] args(Path input, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--input", input.toString(),
                "--url", server.baseUrl() + "/customers/{id}", "--out", out.toString(), "-q",
                "--concurrency", "16", "--format", "csv", "--records", "/details",
                "--fields", "customer={id},id=/id,rank=/rank"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private final List<String> ids = IntStream.rangeClosed(1, IDS).mapToObj(i -> String.format("C%07d", i)).toList();
    private Path input;

    @org.junit.jupiter.api.BeforeEach
    void writeInput() {
        input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
    }

    private void stub() {
        server.stubFor(get(urlPathMatching("/customers/.*")).willReturn(aResponse().withFixedDelay(2)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"details\":[{\"id\":\"{{request.pathSegments.[1]}}-1\",\"rank\":1},"
                        + "{\"id\":\"{{request.pathSegments.[1]}}-2\",\"rank\":2}]}")
                .withTransformers("response-template")));
    }

    private Process start(Path log, String... args) throws Exception {
        return new ProcessBuilder(Harvest.childCommand(args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Waits until the run's results .part file has grown past {@code bytes}, or the process ended. */
    private static void awaitProgress(Process p, Path out, long bytes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try (var s = Files.list(out)) {
                long size = s.filter(f -> f.getFileName().toString().matches("results-.*\\.csv\\.part"))
                        .mapToLong(f -> f.toFile().length()).sum();
                if (size > bytes) {
                    return;
                }
            }
            Thread.sleep(20);
        }
    }

    private void assertExactlyOnce(Path out, List<String> ids) throws Exception {
        List<String> names = Harvest.names(out);
        assertTrue(names.stream().noneMatch(n -> n.endsWith(".part") || n.endsWith(".journal")), names.toString());
        List<String> rows = Harvest.lines(Harvest.only(out, "results-"));
        assertEquals("customer,id,rank", rows.getFirst());
        Map<String, Integer> count = new HashMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertEquals(3, f.length, "torn or malformed row: " + row);
            assertEquals(f[0] + "-" + f[2], f[1], "row belongs to its ID: " + row);
            count.merge(row, 1, Integer::sum);
        }
        for (String id : ids) {
            assertEquals(1, count.getOrDefault(id + "," + id + "-1,1", 0), id + " row 1");
            assertEquals(1, count.getOrDefault(id + "," + id + "-2,2", 0), id + " row 2");
        }
        assertEquals(ids.size() * 2, rows.size() - 1, "no extra rows");
        assertEquals(List.of("id,reason,http_status,attempts,retryable,message"), Harvest.lines(Harvest.only(out, "failed-")));
    }

    @Test
    void killedAtSeveralMomentsThenResumedHoldsEveryRowExactlyOnce() throws Exception {
        stub();
        Path out = Files.createDirectory(dir.resolve("out"));
        Path log = dir.resolve("child.log");

        Process first = start(log, args(input, out));
        awaitProgress(first, out, 20_000);
        first.destroyForcibly().waitFor();
        int kills = 1;
        boolean finished = false;
        // Kill each resume too, at growing sizes, then let the last one finish.
        for (long bytes : new long[] {45_000, 70_000, 95_000}) {
            Process p = start(log, args(input, out, "--resume"));
            awaitProgress(p, out, bytes);
            if (p.isAlive()) {
                p.destroyForcibly().waitFor();
                kills++;
            } else {
                // On a fast machine a resume can finish the job before the next kill point.
                assertEquals(0, p.exitValue(), Files.readString(log));
                finished = true;
                break;
            }
        }
        assertTrue(kills >= 2, "the run was killed mid-way at least twice");
        if (!finished) {
            Process last = start(log, args(input, out, "--resume=auto"));
            assertTrue(last.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, last.exitValue(), Files.readString(log));
        }

        assertExactlyOnce(out, ids);
    }

    @Test
    void sigtermDrainsExits143AndResumes() throws Exception {
        stub();
        Path out = Files.createDirectory(dir.resolve("out"));
        Path log = dir.resolve("child.log");

        Process p = start(log, args(input, out));
        awaitProgress(p, out, 20_000);
        assertTrue(p.isAlive(), "still running when signalled");
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("--resume"), "tells the operator how to continue");
        assertTrue(Harvest.names(out).stream().anyMatch(n -> n.endsWith(".journal")), "journal kept for the resume");
        String runLog = Files.readString(Harvest.only(out, "harvest-"));
        assertTrue(runLog.contains("stop requested"), "the stop is in the log (Log4j flushed)");

        Process resumed = start(log, args(input, out, "--resume"));
        assertTrue(resumed.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, resumed.exitValue(), Files.readString(log));
        assertExactlyOnce(out, ids);
        assertTrue(new File(out.toFile(), Harvest.only(out, "summary-").getFileName().toString()).length() > 0);
    }
}
