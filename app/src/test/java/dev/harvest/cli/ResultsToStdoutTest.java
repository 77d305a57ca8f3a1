package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --results -}: the results on standard output (for {@code | jq}), the summary on stderr, no resume. */
class ResultsToStdoutTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path input;
    private Path out;

    @BeforeEach
    void ids() throws Exception {
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\": 1}")));
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
        input = Files.writeString(dir.resolve("ids.txt"), "OK1\nOK2\nNF1\nOK3\n");
        out = Files.createDirectory(dir.resolve("out"));
    }

    private static Set<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString().replaceAll("\\d{8}-\\d{6}", "T")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void resultsGoToStdoutAndTheSummaryToStderr() throws Exception {
        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "--results", "-");
        assertEquals(1, r.exitCode(), r.stderr());
        List<String> lines = r.stdout().lines().toList();
        assertEquals(3, lines.size(), r.stdout());
        Set<String> ids = new TreeSet<>();
        for (String line : lines) {
            JsonNode row = JSON.readTree(line); // every stdout line is a results row, nothing else
            ids.add(row.get("id").asText());
            assertEquals("{\"v\":1}", row.get("body").toString());
        }
        assertEquals(Set.of("OK1", "OK2", "OK3"), ids);
        assertTrue(r.stderr().contains("harvest: completed"), r.stderr());
        assertTrue(r.stderr().contains("results      -"), r.stderr());
        // No results file; the failed file, the log and the summary as usual; no journal left.
        assertEquals(Set.of(".harvest-" + "LOCK", "failed-T.csv", "harvest-T.log", "summary-T.json"),
                names(out).stream().map(n -> n.startsWith(".harvest-") && n.endsWith(".lock") ? ".harvest-LOCK" : n)
                        .collect(Collectors.toCollection(TreeSet::new)));
        assertTrue(Files.readString(Harvest.only(out, "failed-")).contains("NF1,http_404"));
        assertEquals("-", JSON.readTree(Files.readString(Harvest.only(out, "summary-"))).get("files").get("results").asText());
    }

    @Test
    void csvToo() throws Exception {
        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "--results", "-", "--format", "csv", "--fields", "id={id},v=/v", "-q");
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals("id,v", r.stdout().lines().findFirst().orElseThrow());
        assertEquals(4, r.stdout().lines().count(), r.stdout());
        assertFalse(r.stderr().contains("harvest: completed"), "-q: no summary anywhere");
    }

    @Test
    void anAbortedRunSaysItCannotBeResumedAndLeavesNoJournal() throws Exception {
        server.stubFor(get(urlPathMatching("/c/DOWN.*")).willReturn(aResponse().withStatus(503)));
        Path down = Files.writeString(dir.resolve("down.txt"), java.util.stream.IntStream.range(0, 200)
                .mapToObj(i -> "DOWN" + i).collect(Collectors.joining("\n", "", "\n")));
        Harvest.Result r = Harvest.run("--input", down.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "--results", "-", "--retries", "0", "--circuit-window", "10", "--concurrency", "2");
        assertEquals(3, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("cannot be resumed"), r.stderr());
        assertFalse(r.stderr().contains("--resume"), r.stderr());
        assertTrue(names(out).stream().noneMatch(n -> n.endsWith(".journal")), names(out).toString());
    }

    @Test
    void aClosedPipeStopsTheRun() throws Exception {
        // Like `| head -1`: the reader goes away after the first bytes.
        java.io.OutputStream closing = new java.io.OutputStream() {
            private int written;

            @Override
            public void write(int b) throws java.io.IOException {
                if (++written > 10) {
                    throw new java.io.IOException("Broken pipe");
                }
            }
        };
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = Main.run(new String[] {"--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                        "--out", out.toString(), "--results", "-"}, java.util.Map.of(),
                new java.io.ByteArrayInputStream(new byte[0]), new java.io.PrintStream(closing, true),
                new java.io.PrintStream(err, true));
        String stderr = err.toString();
        assertEquals(3, code, stderr);
        assertTrue(stderr.contains("standard output"), stderr);
        assertTrue(names(out).stream().noneMatch(n -> n.endsWith(".journal")), names(out).toString());
    }

    @Test
    void resumeIsRefused() throws Exception {
        for (String resume : new String[] {"--resume", "--resume=auto"}) {
            Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                    "--out", out.toString(), "--results", "-", resume);
            assertEquals(2, r.exitCode(), resume + ": " + r.stderr());
            assertTrue(r.stderr().startsWith("harvest: error: --results - "), r.stderr());
            assertTrue(r.stderr().contains("--resume"), r.stderr());
            assertEquals("", r.stdout());
            assertEquals(Set.of(), names(out));
        }
        assertEquals(0, server.getAllServeEvents().size(), "no request sent");
    }
}
