package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code harvest verify} proves a run's accounting, and catches planted differences. */
class VerifyTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String CLASSIC_FIELDS = "customer={id},id=/id,relevanceScore=/relevanceScore";

    @TempDir
    Path dir;

    @BeforeEach
    void stubs() {
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"details\":[{\"id\":\"a\",\"relevanceScore\":0.5},{\"id\":\"b\",\"relevanceScore\":0.25}]}")));
        server.stubFor(get(urlPathMatching("/c/EMPTY.*")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"details\":[]}")));
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
    }

    /** 30 OK IDs, 5 not found, a blank line, an invalid ID and an ID given twice. */
    private Path input() {
        List<String> ids = new ArrayList<>(IntStream.range(0, 30).mapToObj(i -> "OK" + i).toList());
        ids.addAll(IntStream.range(0, 5).mapToObj(i -> "NF" + i).toList());
        ids.add("");
        ids.add("OK-" + "x".repeat(40));
        ids.add("OK7");
        return Harvest.idFile(dir, "ids.txt", "customer_id", ids);
    }

    private Path run(Path input, String... extra) {
        Path out = dir.resolve("out" + System.nanoTime());
        try {
            Files.createDirectory(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String[] args = Stream.concat(Stream.of("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "--max-id-length", "30", "-q"), Stream.of(extra)).toArray(String[]::new);
        Harvest.Result r = Harvest.run(args);
        assertEquals(1, r.exitCode(), r.stderr());
        return out;
    }

    private static Harvest.Result verify(Path input, Path out, String... extra) {
        String[] args = Stream.concat(Stream.of("verify", "--input", input.toString(), "--max-id-length", "30",
                "--results", Harvest.only(out, "results-").toString(), "--failed", Harvest.only(out, "failed-").toString()),
                Stream.of(extra)).toArray(String[]::new);
        return Harvest.run(args);
    }

    @Test
    void aCleanJsonLinesRunVerifies() {
        Path input = input();
        Path out = run(input);
        Harvest.Result v = verify(input, out);
        assertEquals(0, v.exitCode(), v.stdout() + v.stderr());
        assertEquals("verify: 38 lines: 31 in results, 6 in failed, 1 skipped; 0 missing, 0 duplicated\n", v.stdout());
    }

    @Test
    void aPlantedMissingAndAPlantedDuplicateAreCaught() throws Exception {
        Path input = input();
        Path out = run(input);
        Path results = Harvest.only(out, "results-");
        List<String> lines = new ArrayList<>(Harvest.lines(results));
        String ok3 = lines.stream().filter(l -> l.startsWith("{\"id\":\"OK3\"")).findFirst().orElseThrow();
        lines.remove(ok3);
        lines.add(lines.stream().filter(l -> l.startsWith("{\"id\":\"OK12\"")).findFirst().orElseThrow());
        Files.write(results, lines, StandardCharsets.UTF_8);

        Harvest.Result v = verify(input, out);
        assertEquals(1, v.exitCode(), v.stdout() + v.stderr());
        List<String> printed = v.stdout().lines().toList();
        assertTrue(printed.contains("duplicated: OK12 2 times in results, expected once in all"), v.stdout());
        assertTrue(printed.contains("missing: OK3 (input line 4)"), v.stdout());
        assertEquals("verify: 38 lines: 30 in results, 6 in failed, 1 skipped; 1 missing, 1 duplicated", printed.getLast());
    }

    @Test
    void anIdInBothResultsAndFailedIsADuplicateAndAForeignIdIsUnexpected() throws Exception {
        Path input = input();
        Path out = run(input);
        Files.writeString(Harvest.only(out, "failed-"), "OK1,http_5xx,503,4,true,planted\nZZZ,http_404,404,1,false,planted\n",
                StandardOpenOption.APPEND);
        Harvest.Result v = verify(input, out);
        assertEquals(1, v.exitCode());
        assertTrue(v.stdout().contains("duplicated: OK1 once in results and once in failed, expected once in all"), v.stdout());
        assertTrue(v.stdout().contains("unexpected: ZZZ once in failed, but it is not an ID of this input (or shard)"), v.stdout());
        assertTrue(v.stdout().endsWith("; 0 missing, 1 duplicated, 1 unexpected\n"), v.stdout());
    }

    @Test
    void csvRecordsCountOneBlockPerIdAndTheSummaryVouchesForEmptyArrays() throws Exception {
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("OK1", "OK2", "EMPTY1", "NF1", "OK3"));
        String[] job = {"--format", "csv", "--records", "/details", "--fields", CLASSIC_FIELDS};
        Path out = run(input, job);

        Harvest.Result clean = verify(input, out, job);
        assertEquals(0, clean.exitCode(), clean.stdout());
        assertTrue(clean.stdout().contains("note: 1 ID(s) have no rows in the results; "), clean.stdout());
        assertTrue(clean.stdout().endsWith("verify: 5 lines: 4 in results, 1 in failed, 0 skipped; 0 missing, 0 duplicated\n"),
                clean.stdout());

        // Lose OK2's two rows: now two IDs lack rows but the summary vouches for only one.
        Path results = Harvest.only(out, "results-");
        Files.write(results, Harvest.lines(results).stream().filter(l -> !l.startsWith("OK2,")).toList());
        Harvest.Result lost = verify(input, out, job);
        assertEquals(1, lost.exitCode(), lost.stdout());
        assertTrue(lost.stdout().contains("missing: OK2 (input line 2)"), lost.stdout());
        assertTrue(lost.stdout().contains("missing: EMPTY1 (input line 3)"), lost.stdout());
        assertTrue(lost.stdout().endsWith("; 2 missing, 0 duplicated\n"), lost.stdout());
    }

    @Test
    void usageErrorsExit2() {
        Path input = input();
        Harvest.Result noResults = Harvest.run("verify", "--input", input.toString(), "--failed", input.toString());
        assertEquals(2, noResults.exitCode());
        assertEquals("harvest: error: verify needs --results FILE (the run's results file)\n", noResults.stderr());
        Harvest.Result noIdField = Harvest.run("verify", "--input", input.toString(), "--results", input.toString(),
                "--failed", input.toString(), "--format", "csv", "--fields", "x=/x");
        assertEquals(2, noIdField.exitCode());
        assertTrue(noIdField.stderr().contains("--fields has no name={id} column"), noIdField.stderr());
    }

    @Test
    void verifyIgnoresTheRunsRequestSettingsSoTheSameCommandLineWorks() {
        Path input = input();
        Path out = run(input);
        Harvest.Result v = verify(input, out, "--url", "http://unused.example/{id}", "--token-env", "NOT_SET",
                "--concurrency", "7");
        assertEquals(0, v.exitCode(), v.stdout() + v.stderr());
    }
}
