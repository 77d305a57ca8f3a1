package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays bounded by what is in flight, not by the input: jobs with 1 MiB JSON bodies run in
 * the launcher's heap, with the launcher's JVM options. Each body holds ~23,000 small records, so
 * the store stage (one row per record) is much slower than the fetchers. Two things used to break
 * these jobs (exit 3, out of memory): bodies waiting for the store were bounded only by count (up
 * to 256 on the queue), and the HTTP client kept each pooled connection's last body reachable.
 */
@Tag("slow")
class BigBodiesTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(80)).build();

    @TempDir
    Path dir;

    private int perBody;

    @BeforeEach
    void serveMegabyteBodies() {
        StringBuilder json = new StringBuilder("{\"details\":[");
        int records = 0;
        while (json.length() < (1 << 20)) {
            json.append(records == 0 ? "" : ",").append("{\"id\":\"r").append(records++).append("\",\"pad\":\"0123456789abcdef\"}");
        }
        perBody = records;
        server.stubFor(get(urlPathMatching("/big/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(json.append("]}").toString())));
    }

    /** 200 bodies reach a store stage that needs far longer for each: they must wait within a byte budget. */
    @Test
    void bodiesWaitingForASlowStoreStayWithinTheHeap() throws Exception {
        runAndCheck(200, 4);
    }

    /** 64 bodies in flight at once, and as many pooled connections that must not keep theirs. */
    @Test
    void megabyteBodiesAtConcurrency64FitTheHeap() throws Exception {
        runAndCheck(60, 64);
    }

    private void runAndCheck(int ids, int concurrency) throws Exception {
        Path in = Harvest.idFile(dir, "ids.csv", "id", IntStream.rangeClosed(1, ids).mapToObj(i -> "B" + i).toList());
        Path out = Files.createDirectory(dir.resolve("out"));
        List<String> cmd = new ArrayList<>(Harvest.childCommand("--input", in.toString(),
                "--url", server.baseUrl() + "/big/{id}", "--concurrency", String.valueOf(concurrency),
                "--out", out.toString(), "--format", "csv", "--records", "/details",
                "--fields", "customer={id},id=/id", "--timeout", "60s", "-q"));
        cmd.remove("-Xmx256m");
        cmd.addAll(1, launcherJvmOptions());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished within 2 minutes");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), "exit code; child output: " + Files.readString(dir.resolve("child.log")));

        Map<String, Integer> perId = new HashMap<>();
        long rows = 0;
        try (BufferedReader r = Files.newBufferedReader(Harvest.only(out, "results-"))) {
            r.readLine(); // header
            for (String row; (row = r.readLine()) != null; rows++) {
                perId.merge(row.substring(0, row.indexOf(',')), 1, Integer::sum);
            }
        }
        assertEquals((long) ids * perBody, rows, "every record of every ID");
        assertEquals(ids, perId.size());
        assertTrue(perId.values().stream().allMatch(n -> n == perBody), "each ID's records exactly once");
    }

    /** The JVM defaults of the packaged launcher (jlink/launcher/harvest): heap cap, GC, out-of-memory exit. */
    static List<String> launcherJvmOptions() throws Exception {
        Path launcher = Path.of("..", "jlink", "launcher", "harvest");
        String line = Files.readAllLines(launcher).stream().filter(l -> l.startsWith("JVM_OPTS_DEFAULT=\""))
                .findFirst().orElseThrow(() -> new AssertionError("no JVM_OPTS_DEFAULT in " + launcher.toAbsolutePath()));
        List<String> options = List.of(line.substring(line.indexOf('"') + 1, line.lastIndexOf('"')).split(" +"));
        assertTrue(options.stream().anyMatch(o -> o.startsWith("-Xmx")), "the launcher caps the heap: " + options);
        return options;
    }
}
