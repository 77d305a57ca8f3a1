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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The summary file's schema (as the README documents it) and its heartbeat during a run. */
@Tag("slow")
class SummaryFileTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static final Set<String> TOP_LEVEL = Set.of("schema_version", "running", "outcome", "exit_code",
            "started_at", "updated_at", "duration_seconds", "lines_read", "input_bytes_read", "input_bytes_total",
            "lines_done", "lines_total_estimate", "eta_seconds", "ok", "ok_without_records", "rows", "failed",
            "failed_by_reason", "max_failed", "skipped", "skipped_by_reason", "unchanged", "unfinished", "done_before", "in_flight", "retrying", "concurrency", "http_status",
            "retries", "body_bytes", "requests_per_second", "latency_ms", "recent", "input_header", "files", "config");

    @Test
    void finalSummaryHasTheDocumentedSchema() throws Exception {
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
        // A list with a header line, said so (a plain list has none by default).
        Path input = Files.writeString(dir.resolve("ids.txt"), "customer_id\nOK1\nOK2\nNF1\n\n");
        Harvest.Result r = Harvest.run(Map.of("SECRET", "s3cr3t-token"), "--input", input.toString(), "--input-header", "true",
                "--url", server.baseUrl() + "/c/{id}", "--out", dir.toString(), "--token-env", "SECRET", "-q");
        assertEquals(1, r.exitCode(), r.stderr());

        String text = Files.readString(Harvest.only(dir, "summary-"));
        assertFalse(text.contains("s3cr3t-token"), "the token is redacted");
        JsonNode s = JSON.readTree(text);
        assertEquals(new TreeSet<>(TOP_LEVEL), fieldNames(s));
        assertEquals(2, s.get("schema_version").asInt());
        assertFalse(s.get("running").asBoolean());
        assertEquals("completed", s.get("outcome").asText());
        assertEquals(1, s.get("exit_code").asInt());
        assertTrue(s.get("started_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
        assertEquals(5, s.get("lines_read").asLong());
        assertEquals(Files.size(input), s.get("input_bytes_total").asLong());
        assertEquals(Files.size(input), s.get("input_bytes_read").asLong());
        assertEquals(5, s.get("lines_done").asLong());
        assertEquals(2, s.get("ok").asLong());
        assertEquals(1, s.get("failed_by_reason").get("http_404").asLong());
        assertEquals(1, s.get("skipped_by_reason").get("blank").asLong());
        assertEquals(1, s.get("skipped_by_reason").get("header").asLong());
        assertEquals(2, s.get("http_status").get("200").asLong());
        assertEquals(1, s.get("http_status").get("404").asLong());
        assertEquals(0, s.get("in_flight").asLong());
        assertTrue(s.get("eta_seconds").isNull());
        assertEquals(Set.of("p50", "p90", "p99", "max"), fieldNames(s.get("latency_ms")));
        JsonNode recent = s.get("recent");
        assertEquals(Set.of("window_seconds", "outcomes", "requests_per_second", "error_rate", "error_rate_by_reason",
                "latency_ms"), fieldNames(recent));
        assertEquals(3, recent.get("outcomes").asLong());
        assertEquals(1.0 / 3, recent.get("error_rate_by_reason").get("http_404").asDouble(), 1e-9);
        assertEquals(Set.of("p50", "p99"), fieldNames(recent.get("latency_ms")));
        assertEquals(Set.of("results", "failed", "log", "summary"), fieldNames(s.get("files")));
    }

    @Test
    void heartbeatRefreshesTheSummaryWhileRunningWithNullExitCode() throws Exception {
        server.stubFor(get(urlPathMatching("/slow/.*")).willReturn(aResponse().withFixedDelay(250)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        Path input = Harvest.idFile(dir, "ids.txt", "id", IntStream.range(0, 12).mapToObj(i -> "S" + i).toList());
        Path metrics = dir.resolve("harvest.prom");
        // A platform thread of its own, as the CLI's main thread: never a common-pool worker (see Pipeline.run).
        CompletableFuture<Harvest.Result> run = new CompletableFuture<>();
        Thread.ofPlatform().name("harvest-under-test").start(() -> run.complete(Harvest.run("--input",
                input.toString(), "--url", server.baseUrl() + "/slow/{id}", "--out", dir.toString(), "--concurrency", "1",
                "--progress-interval", "300ms", "--metrics-file", metrics.toString())));

        List<JsonNode> seen = new ArrayList<>();
        while (!run.isDone()) {
            try (Stream<Path> files = Files.list(dir)) {
                Path summary = files.filter(p -> p.getFileName().toString().matches("summary-.*\\.json")).findFirst().orElse(null);
                if (summary != null) {
                    seen.add(JSON.readTree(summary.toFile())); // atomic replace: never half a file
                }
            }
            Thread.sleep(100);
        }
        assertEquals(0, run.get().exitCode(), run.get().stderr());
        JsonNode during = seen.stream().filter(n -> n.get("running").asBoolean()).findFirst().orElseThrow();
        assertEquals("running", during.get("outcome").asText());
        assertTrue(during.get("exit_code").isNull());
        assertTrue(during.get("files").get("results").asText().endsWith(".part"));
        assertTrue(seen.stream().filter(n -> n.get("running").asBoolean()).map(n -> n.get("ok").asLong())
                .distinct().count() > 1, "refreshed with growing counts");
        JsonNode last = JSON.readTree(Harvest.only(dir, "summary-").toFile());
        assertEquals(0, last.get("exit_code").asInt());
        assertEquals(12, last.get("ok").asLong());
        assertTrue(Files.readString(metrics).contains("harvest_running{job=\"" + dir.getFileName() + "\"} 0\n"));
        assertTrue(Files.readString(metrics).contains("harvest_ids_total{job=\"" + dir.getFileName() + "\",outcome=\"ok\"} 12\n"));
        String log = Files.readString(Harvest.only(dir, "harvest-"));
        assertTrue(log.matches("(?s).*INFO  \\[progress\\] progress: \\d+\\.\\d% \\d+/~?\\d+ lines, ETA .*; ok \\d+, failed 0,"
                + " skipped 0, retrying 0, in flight [01]; last \\d+ s: .* req/s, p50 .* ms, p99 .* ms, errors 0\\.0%\\n.*"), log);
    }

    @Test
    void quietSilencesProgressInTheLogButNotTheSummaryFile() throws Exception {
        server.stubFor(get(urlPathMatching("/q/.*")).willReturn(aResponse().withFixedDelay(200)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("A", "B", "C"));
        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/q/{id}",
                "--out", dir.toString(), "--concurrency", "1", "--progress-interval", "100ms", "-q");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stdout() + r.stderr());
        assertFalse(Files.readString(Harvest.only(dir, "harvest-")).contains("progress:"));
        assertEquals(3, JSON.readTree(Harvest.only(dir, "summary-").toFile()).get("ok").asLong());
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> names = new TreeSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
