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
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summary files real runs write (final, aborted and heartbeat) match the JSON Schema shipped in
 * {@code docs/summary.schema.json}; config values are in the form the flags accept and typed; the
 * log's effective-config line says the same; and {@code harvest verify --summary} reads the file.
 */
class SummarySchemaTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Schema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws Exception {
        // Tests run in app/; the schema ships at the repository root.
        String text = Files.readString(Path.of("..", "docs", "summary.schema.json"));
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(text);
    }

    private static List<String> problems(JsonNode summary) {
        return schema.validate(summary).stream().map(Error::toString).toList();
    }

    private static void assertValid(JsonNode summary) {
        List<String> problems = problems(summary);
        assertTrue(problems.isEmpty(), problems + "\n" + summary.toPrettyString());
    }

    @Test
    void aFinishedRunsSummaryMatchesTheSchemaWithConfigInFlagFormAndVerifyReadsIt() throws Exception {
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"details\":[{\"id\":\"a\"}]}")));
        server.stubFor(get(urlPathMatching("/c/EMPTY.*")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"details\":[]}")));
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
        Path input = Files.writeString(dir.resolve("ids.txt"), "customer_id\nOK1\nOK2\nEMPTY1\nNF1\n\n");
        String[] job = {"--format", "csv", "--records", "/details", "--fields", "customer={id},id=/id"};
        Path out = Files.createDirectory(dir.resolve("out"));
        List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--input-header", "true",
                "--url", server.baseUrl() + "/c/{id}", "--out", out.toString(), "--token-env", "SECRET",
                "--header", "X-Api-Key: k3y-s3cr3t", "--timeout", "45s", "--backoff", "0.5s", "--max-body", "2048k",
                "--max-failed", "50%", "--concurrency", "auto:8", "--resume=auto", "--compressed", "-q"));
        args.addAll(List.of(job));
        Harvest.Result r = Harvest.run(Map.of("SECRET", "s3cr3t-token"), args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());

        Path file = Harvest.only(out, "summary-");
        JsonNode s = JSON.readTree(file.toFile());
        assertValid(s);
        JsonNode c = s.get("config");
        // In the form the flags accept, and typed.
        assertEquals("45s", c.get("timeout").asText());
        assertEquals("500ms", c.get("backoff").asText());
        assertEquals("10s", c.get("connect_timeout").asText());
        assertEquals("2MiB", c.get("max_body").asText());
        assertEquals("50%", c.get("max_failed").asText());
        assertEquals("auto:8", c.get("concurrency").asText());
        assertEquals("auto", c.get("resume").asText());
        assertTrue(c.get("retries").isIntegralNumber() && c.get("retries").asInt() == 3, c.toString());
        assertTrue(c.get("retry_budget").isNumber() && c.get("rate").isNumber(), c.toString());
        assertTrue(c.get("compressed").isBoolean() && c.get("compressed").asBoolean(), c.toString());
        assertTrue(c.get("input_header").isBoolean(), c.toString());
        assertTrue(c.get("save_to").isNull(), "an unset option is null: " + c);
        assertEquals("customer={id},id=/id", c.get("fields").asText());
        assertFalse(s.toString().contains("s3cr3t"), "secrets redacted: " + s);
        assertEquals(Harvest.only(out, "failed-").toString(), s.get("files").get("failed").asText());

        // The log's effective-config line is the same object, on one line.
        String log = Files.readString(Harvest.only(out, "harvest-"));
        String line = log.lines().filter(l -> l.contains("effective config: ")).findFirst().orElseThrow();
        assertEquals(c, JSON.readTree(line.substring(line.indexOf("effective config: ") + "effective config: ".length())));

        // The summary verify takes with --summary is this file.
        Harvest.Result v = Harvest.run(Stream.concat(Stream.of("verify", "--input", input.toString(), "--input-header", "true",
                "--results", Harvest.only(out, "results-").toString(), "--failed", Harvest.only(out, "failed-").toString(),
                "--summary", file.toString()), Stream.of(job)).toArray(String[]::new));
        assertEquals(0, v.exitCode(), v.stdout() + v.stderr());
        assertTrue(v.stdout().contains(file.toString()), "verify names the summary that vouched: " + v.stdout());
    }

    @Test
    void anAbortedRunsAndAHeartbeatsSummariesMatchTheSchema() throws Exception {
        server.stubFor(get(urlPathMatching("/slow/.*")).willReturn(aResponse().withFixedDelay(150)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        Path input = Harvest.idFile(dir, "ids.txt", "id", IntStream.range(0, 8).mapToObj(i -> "S" + i).toList());
        Path out = Files.createDirectory(dir.resolve("slow"));
        CompletableFuture<Harvest.Result> run = new CompletableFuture<>();
        Thread.ofPlatform().name("harvest-under-test").start(() -> run.complete(Harvest.run("--input", input.toString(),
                "--url", server.baseUrl() + "/slow/{id}", "--out", out.toString(), "--concurrency", "1",
                "--progress-interval", "100ms", "-q")));
        JsonNode heartbeat = null;
        while (!run.isDone() && heartbeat == null) {
            try (Stream<Path> files = Files.list(out)) {
                Path summary = files.filter(p -> p.getFileName().toString().matches("summary-.*\\.json")).findFirst().orElse(null);
                JsonNode n = summary == null ? null : JSON.readTree(summary.toFile());
                heartbeat = n != null && n.get("running").asBoolean() ? n : null;
            }
            Thread.sleep(50);
        }
        assertEquals(0, run.get().exitCode(), run.get().stderr());
        assertTrue(heartbeat != null, "a heartbeat was seen");
        assertValid(heartbeat);

        // Nothing listens on port 9: the connection circuit aborts the run (exit 3).
        Path dead = Files.createDirectory(dir.resolve("dead"));
        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", "http://127.0.0.1:9/c/{id}", "--out", dead.toString(),
                "--retries", "0", "--circuit-failures", "1", "-q");
        assertEquals(3, r.exitCode(), r.stderr());
        JsonNode aborted = JSON.readTree(Harvest.only(dead, "summary-").toFile());
        assertTrue(aborted.get("outcome").asText().startsWith("aborted"), aborted.toString());
        assertValid(aborted);
    }

    @Test
    void theSchemaRefusesTheOldSpellings() throws Exception {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{}")));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("A", "B"));
        assertEquals(0, Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", dir.toString(), "-q")
                .exitCode());
        ObjectNode s = (ObjectNode) JSON.readTree(Harvest.only(dir, "summary-").toFile());
        assertValid(s);
        for (Iterator<String> names = s.get("config").fieldNames(); names.hasNext(); ) {
            assertTrue(names.next().matches("[a-z][a-z0-9_]*"));
        }
        ObjectNode javaDuration = s.deepCopy();
        ((ObjectNode) javaDuration.get("config")).put("timeout", "PT30S");
        ObjectNode kebab = s.deepCopy();
        ((ObjectNode) kebab.get("config")).put("max-body", "16MiB");
        ObjectNode spacedKey = s.deepCopy();
        ((ObjectNode) spacedKey.get("files")).put("failed file", "x");
        ObjectNode numberAsText = s.deepCopy();
        ((ObjectNode) numberAsText.get("config")).put("retries", "3");
        for (ObjectNode bad : List.of(javaDuration, kebab, spacedKey, numberAsText)) {
            assertFalse(problems(bad).isEmpty(), "refused: " + bad);
        }
    }
}
