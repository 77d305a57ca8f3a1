package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The failure ledger: a failed file marks rows retryable or not; --only-retryable re-runs just those. */
class OnlyRetryableTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void onlyRetryableRowsOfAFailedFileAreFetchedAgain() throws Exception {
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
        server.stubFor(get(urlPathMatching("/c/DOWN.*")).willReturn(aResponse().withStatus(503)));
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{}")));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("OK1", "NF1", "DOWN1", "NF2", "DOWN2"));
        Path first = Files.createDirectory(dir.resolve("first"));
        Harvest.Result r1 = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", first.toString(), "--retries", "1", "--backoff", "5ms", "-q");
        assertEquals(1, r1.exitCode(), r1.stderr());
        Path failed = Harvest.only(first, "failed-");
        List<String> rows = Harvest.lines(failed);
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("NF1,http_404,404,1,false,")), rows.toString());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("DOWN1,http_5xx,503,2,true,")), rows.toString());

        // The service recovers; only the retryable rows go out again.
        server.resetAll();
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{}")));
        Path second = Files.createDirectory(dir.resolve("second"));
        Harvest.Result r2 = Harvest.run("--input", failed.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", second.toString(), "--only-retryable", "-q");
        assertEquals(0, r2.exitCode(), r2.stderr());
        server.verify(2, getRequestedFor(urlPathMatching("/c/.*")));
        server.verify(0, getRequestedFor(urlPathMatching("/c/NF.*")));
        assertEquals(2, Harvest.lines(Harvest.only(second, "results-")).size());
        JsonNode summary = new ObjectMapper().readTree(Harvest.only(second, "summary-").toFile());
        assertEquals(2, summary.get("skipped_by_reason").get("not_retryable").asInt());

        // verify recomputes the same skips from the failed file: every row accounted for (a CSV
        // header is read as the header, not counted as a line).
        Harvest.Result v = Harvest.run("verify", "--input", failed.toString(), "--only-retryable",
                "--results", Harvest.only(second, "results-").toString(),
                "--failed", Harvest.only(second, "failed-").toString());
        assertEquals(0, v.exitCode(), v.stdout() + v.stderr());
        assertEquals("verify: 4 lines: 2 in results, 0 in failed, 2 skipped; 0 missing, 0 duplicated\n", v.stdout());
    }
}
