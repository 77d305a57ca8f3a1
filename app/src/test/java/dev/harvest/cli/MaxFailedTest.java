package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --max-failed}: the nightly 404s of real data, at or under the bound, exit 0; above it, exit
 * 1 as before; the bound and the verdict are in the stdout summary and the summary file.
 */
@Tag("slow")
class MaxFailedTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** 100 IDs: 97 found, 3 gone (404). */
    private Path input;

    @BeforeEach
    void ids() throws Exception {
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
        input = Files.writeString(dir.resolve("ids.txt"), Stream.concat(
                        IntStream.range(0, 97).mapToObj(i -> "OK" + i), IntStream.range(0, 3).mapToObj(i -> "NF" + i))
                .collect(Collectors.joining("\n", "", "\n")));
    }

    private Harvest.Result run(String out, String... extra) throws Exception {
        Path o = Files.createDirectory(dir.resolve(out));
        String[] base = {"--input", input.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", o.toString()};
        String[] args = Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new);
        return Harvest.run(args);
    }

    private JsonNode summary(String out) throws Exception {
        return JSON.readTree(Files.readString(Harvest.only(dir.resolve(out), "summary-")));
    }

    @Test
    void byDefaultAnyFailureExitsOne() throws Exception {
        Harvest.Result r = run("d");
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(r.stdout().contains("max failed   0: over the bound"), r.stdout());
        JsonNode m = summary("d").get("max_failed");
        assertEquals("0", m.get("bound").asText());
        assertEquals(0, m.get("allowed").asLong());
        assertEquals(false, m.get("within").asBoolean());
    }

    @Test
    void aCountAtTheBoundExitsZero() throws Exception {
        Harvest.Result r = run("n", "--max-failed", "3");
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("failed       3"), r.stdout());
        assertTrue(r.stdout().contains("max failed   3: within the bound"), r.stdout());
        JsonNode s = summary("n");
        assertEquals(0, s.get("exit_code").asInt());
        assertEquals(3, s.get("failed").asLong());
        assertEquals("3", s.get("max_failed").get("bound").asText());
        assertTrue(s.get("max_failed").get("within").asBoolean());
        assertEquals("3", s.get("config").get("max_failed").asText());
    }

    @Test
    void aCountBelowTheFailuresExitsOne() throws Exception {
        Harvest.Result r = run("n2", "--max-failed", "2");
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("max failed   2: over the bound"), r.stdout());
        assertEquals(false, summary("n2").get("max_failed").get("within").asBoolean());
    }

    @Test
    void aPercentageIsOfTheIdsFinished() throws Exception {
        // 3 of 100 finished is 3%: 3% allows 3, 2.5% allows 2.
        Harvest.Result within = run("p", "--max-failed", "3%");
        assertEquals(0, within.exitCode(), within.stdout() + within.stderr());
        assertTrue(within.stdout().contains("max failed   3% of 100 finished = 3: within the bound"), within.stdout());
        JsonNode m = summary("p").get("max_failed");
        assertEquals("3%", m.get("bound").asText());
        assertEquals(3, m.get("allowed").asLong());

        Harvest.Result over = run("p2", "--max-failed", "2.5%");
        assertEquals(1, over.exitCode(), over.stdout() + over.stderr());
        assertTrue(over.stdout().contains("max failed   2.5% of 100 finished = 2: over the bound"), over.stdout());
    }

    @Test
    void theEnvironmentSetsItToo() throws Exception {
        Path o = Files.createDirectory(dir.resolve("e"));
        Harvest.Result r = Harvest.run(java.util.Map.of("HARVEST_MAX_FAILED", "5%"), "--input", input.toString(),
                "--url", server.baseUrl() + "/c/{id}", "--out", o.toString(), "-q");
        assertEquals(0, r.exitCode(), r.stderr());
    }

    @Test
    void aBadValueIsExitTwoNamingTheOption() throws Exception {
        for (String bad : new String[] {"-1", "x", "101%", "%", "3 items", "99999999999999999999"}) {
            Path o = dir.resolve("bad");
            Files.createDirectories(o);
            Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                    "--out", o.toString(), "--max-failed", bad);
            assertEquals(2, r.exitCode(), bad + ": " + r.stderr());
            assertTrue(r.stderr().startsWith("harvest: error: --max-failed"), bad + ": " + r.stderr());
            try (Stream<Path> left = Files.list(o)) {
                assertEquals(0, left.count(), bad + ": nothing written");
            }
        }
        assertEquals(0, server.getAllServeEvents().size(), "no request sent");
    }
}
