package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run file names: a run that starts in the same second as an earlier one in the same --out (a
 * quick re-run of the failed file) gets its own files instead of an error; fixed names are never
 * overwritten.
 */
class RunFileNamesTest {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void aRunStartingInTheSameSecondAsAnEarlierOneGetsItsOwnFiles() throws Exception {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1", "C2"));
        Path out = Files.createDirectory(dir.resolve("out"));
        // An earlier run's results for this second and the next few: whenever the run starts, its
        // plain stamped name is taken.
        LocalDateTime now = LocalDateTime.now();
        for (int s = 0; s < 5; s++) {
            Files.writeString(out.resolve("results-" + now.plusSeconds(s).format(STAMP) + ".jsonl"), "earlier\n");
        }

        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "-q");

        assertEquals(0, r.exitCode(), r.stderr());
        List<String> mine = Harvest.names(out).stream().filter(n -> n.matches("results-\\d{8}-\\d{6}_2\\.jsonl")).toList();
        assertEquals(1, mine.size(), Harvest.names(out).toString());
        assertEquals(2, Files.readAllLines(out.resolve(mine.getFirst())).size());
        String stamp = mine.getFirst().substring("results-".length(), mine.getFirst().length() - ".jsonl".length());
        assertTrue(Files.exists(out.resolve("failed-" + stamp + ".csv")), Harvest.names(out).toString());
        assertTrue(Files.exists(out.resolve("summary-" + stamp + ".json")), Harvest.names(out).toString());
        for (int s = 0; s < 5; s++) {
            assertEquals("earlier\n", Files.readString(out.resolve("results-" + now.plusSeconds(s).format(STAMP) + ".jsonl")));
        }
    }

    @Test
    void aFixedResultsNameThatExistsIsRefused() throws Exception {
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1"));
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.writeString(out.resolve("results.jsonl"), "earlier\n");

        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "--results", out.resolve("results.jsonl").toString(), "-q");

        assertEquals(2, r.exitCode());
        assertEquals("harvest: error: " + out.resolve("results.jsonl")
                + " already exists (choose another --out or file name, or --resume)\n", r.stderr());
        // (the job's hidden lock file may stay: it is the cron overlap guard, not an output)
        assertEquals(List.of("results.jsonl"), Harvest.names(out).stream().filter(n -> !n.startsWith(".")).toList());
        assertEquals("earlier\n", Files.readString(out.resolve("results.jsonl")));
    }
}
