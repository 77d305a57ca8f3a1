package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators' mistakes that used to crash, overflow, send the wrong thing or destroy a file: each is
 * now one line naming the option and what it accepts, exit 2, no file, no request.
 */
class OperatorMistakesTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    Path out;
    Path input;

    @BeforeEach
    void setUp() throws Exception {
        out = Files.createDirectory(dir.resolve("out"));
        input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1", "C2"));
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
    }

    private List<String> with(String... extra) {
        List<String> a = new ArrayList<>(List.of("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private void assertRefused(String expectedStart, Map<String, String> env, List<String> args) {
        Harvest.Result r = Harvest.run(env, args.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
        assertEquals(1, r.stderr().lines().count(), "one line: " + r.stderr());
        assertTrue(r.stderr().startsWith("harvest: error: " + expectedStart), r.stderr());
        assertEquals("", r.stdout());
        assertEquals(List.of(), Harvest.names(out), "no file created");
        assertEquals(0, server.getAllServeEvents().size(), "no request sent");
    }

    private void assertRefused(String expectedStart, List<String> args) {
        assertRefused(expectedStart, Map.of(), args);
    }

    // 1. numbers

    @Test
    void hugeSizesAreRefusedWithTheAcceptedRangeInsteadOfAStackTraceOrAnOverflow() {
        assertRefused("--max-body: expected a size from 1 byte to 1GiB", with("--max-body", "99999999999999999999"));
        assertRefused("--max-body: expected a size from 1 byte to 1GiB", with("--max-body", "9999999999999g"));
        assertRefused("--max-body: expected a size from 1 byte to 1GiB", with("--max-body", "2GiB"));
        assertRefused("--max-body: expected a size from 1 byte to 1GiB", with("--max-body", "0"));
        assertRefused("HARVEST_MAX_BODY (max-body): expected a size from 1 byte to 1GiB",
                Map.of("HARVEST_MAX_BODY", "8589934592g"), with());
    }

    @Test
    void hugeDurationsAreRefusedWithTheAcceptedRange() {
        assertRefused("--timeout: expected a duration from 1ms to 24h, got '999999999999999h'",
                with("--timeout", "999999999999999h"));
        assertRefused("--timeout: expected a duration from 1ms to 24h", with("--timeout", "1" + "0".repeat(400)));
        assertRefused("--connect-timeout: expected a duration from 1ms to 24h", with("--connect-timeout", "25h"));
        assertRefused("--backoff: expected a duration from 1ms to 24h", with("--backoff", "0"));
        assertRefused("--max-retry-wait: expected a duration from 1ms to 24h", with("--max-retry-wait", "9999999999999m"));
        assertRefused("--drain-timeout: expected a duration from 0s to 24h", with("--drain-timeout", "100000h"));
        assertRefused("--progress-interval: expected a duration from 1ms to 24h", with("--progress-interval", "0.1ms"));
    }

    @Test
    void otherNumbersHaveBoundsToo() {
        assertRefused("--concurrency: expected a whole number from 1 to 10000", with("--concurrency", "99999999999"));
        assertRefused("--rate: expected requests per second: 0 (no limit) or from 0.0001 to 1000000",
                with("--rate", "0.00000000001"));
        assertRefused("--rate: expected requests per second", with("--rate", "Infinity"));
        assertRefused("--rate: expected requests per second", with("--rate", "NaN"));
        assertRefused("--retries: expected a whole number from 0 to 100", with("--retries", "4294967296"));
        assertRefused("--max-id-length: expected a whole number", with("--max-id-length", "99999999999"));
        assertRefused("--circuit-window: expected a whole number", with("--circuit-window", "99999999999"));
        assertRefused("--id-column: column numbers start at 1 and go up to 1000000", with("--id-column", "99999999999"));
        assertRefused("--shard: expected K/N", with("--shard", "0/99999999999"));
    }

    // 2. headers from several layers

    private List<String> headerValues(String name) {
        List<LoggedRequest> requests = server.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathMatching("/c/.*")));
        assertEquals(2, requests.size());
        HttpHeader h = requests.getFirst().getHeaders().getHeader(name);
        return h.isPresent() ? h.values() : List.of();
    }

    @Test
    void aHeaderFlagReplacesTheSameHeaderFromTheConfigFileAndTheEnvironment() throws Exception {
        Path cfg = Files.writeString(dir.resolve("job.properties"), "header.Accept=application/xml\nheader.X-Team=data\n");
        Harvest.Result r = Harvest.run(Map.of("HARVEST_HEADER", "x-team: ops\nX-Env: 1"),
                with("--config", cfg.toString(), "--header", "accept: application/json", "-q").toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(List.of("application/json"), headerValues("Accept"), "the flag wins, one header");
        assertEquals(List.of("ops"), headerValues("X-Team"), "the environment replaces the file");
        assertEquals(List.of("1"), headerValues("X-Env"), "HARVEST_HEADER is read, one header per line");
    }

    @Test
    void unknownHarvestVariablesGetAWarningWithASuggestion() {
        Harvest.Result r = Harvest.run(Map.of("HARVEST_CONCURENCY", "5", "HARVEST_SHARDS_X", "1", "HARVEST_JAVA_OPTS", "-Xmx1g",
                "HARVEST_BIN", "/opt/harvest/bin/harvest"),
                with("-q").toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(List.of(
                "harvest: warning: unknown environment variable HARVEST_CONCURENCY is ignored (did you mean HARVEST_CONCURRENCY?)",
                "harvest: warning: unknown environment variable HARVEST_SHARDS_X is ignored"), r.stderr().lines().toList());
    }

    // 3. headers the HTTP client owns

    @Test
    void headersTheHttpClientOwnsAreRefused() throws Exception {
        assertRefused("--header: the HTTP client sets Host itself", with("--header", "Host: other.example.com"));
        assertRefused("--header: the HTTP client sets connection itself", with("--header", "connection: close"));
        assertRefused("--header: the HTTP client sets Content-Length itself", with("--header", "Content-Length: 0"));
        assertRefused("--header: the HTTP client sets Expect itself", with("--header", "Expect: 100-continue"));
        assertRefused("--header: the HTTP client sets Upgrade itself", with("--header", "Upgrade: h2c"));
        assertRefused("--header: the HTTP client sets Transfer-Encoding itself", with("--header", "Transfer-Encoding: chunked"));
        Path cfg = Files.writeString(dir.resolve("job.properties"), "header.Host=x\n");
        assertRefused("job.properties: header.Host: the HTTP client sets Host itself", with("--config", cfg.toString()));
        assertRefused("HARVEST_HEADER: the HTTP client sets Host itself", Map.of("HARVEST_HEADER", "Host: x"), with());
        assertRefused("--header: the value of X-A has a control character", with("--header", "X-A: a\u0001b"));
    }

    // 4. URL templates

    @Test
    void urlTemplatesThatCannotFetchOneUrlPerIdAreRefused() {
        String base = server.baseUrl();
        assertRefused("--url must not have a #fragment", with("--url", base + "/c/x#{id}"));
        assertRefused("--url must not have a #fragment", with("--url", base + "/c/{id}#top"));
        assertRefused("--url must have {id} after the host", with("--url", "http://{id}.example.com/c"));
        assertRefused("--url must have {id} after the host", with("--url", "http://user:{id}@example.com/c"));
        assertRefused("--url must have {id} after the host", with("--url", "http://example.com:{id}/c"));
        assertRefused("--url must start with http:// or https://", with("--url", "{id}://example.com/c"));
        assertRefused("--url: port 99999 is out of range (1 to 65535)", with("--url", "http://example.com:99999/c/{id}"));
        assertRefused("--url must not hold credentials", with("--url", "http://user:pw@example.com/c/{id}"));
        assertRefused("--url must contain {id}", with("--url", base + "/c/fixed"));
    }

    // 5. output paths

    @Test
    void anOutputOnTheInputOrTheConfigOrAnotherOutputIsRefused() throws Exception {
        assertRefused("--log " + input + " is the same file as --input " + input, with("--log", input.toString()));
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), input);
        assertRefused("--log " + link + " is the same file as --input", with("--log", link.toString()));
        assertRefused("--results " + input + " is the same file as --input", with("--results", input.toString()));
        Path hard = Files.createLink(dir.resolve("hard.txt"), input);
        assertRefused("--log " + hard + " is the same file as --input", with("--log", hard.toString()));
        Path cfg = Files.writeString(dir.resolve("job.properties"), "retries=1\n");
        assertRefused("--metrics-file " + cfg + " is the same file as --config", with("--config", cfg.toString(),
                "--metrics-file", cfg.toString()));
        Path same = dir.resolve("same.csv");
        assertRefused("--failed " + dir.resolve(".").resolve("same.csv") + " is the same file as --results " + same, with("--results", same.toString(),
                "--failed", dir.resolve(".").resolve("same.csv").toString()));
        assertRefused("--log " + dir.resolve("r.jsonl.part") + " is the same file as --results",
                with("--results", dir.resolve("r.jsonl").toString(), "--log", dir.resolve("r.jsonl.part").toString()));
        assertEquals("C1\nC2\n", Files.readString(input), "the input is untouched");
        assertEquals("retries=1\n", Files.readString(cfg));
    }

    @Test
    void theMetricsFileReplacesOnlyAPreviousMetricsFile() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.prom"), "my notes\n");
        assertRefused("--metrics-file " + notes + ": exists and is not a metrics file of harvest",
                with("--metrics-file", notes.toString()));
        assertEquals("my notes\n", Files.readString(notes));
        assertRefused("--metrics-file /dev/null: exists and is not a regular file", with("--metrics-file", "/dev/null"));

        Path prom = Files.createFile(dir.resolve("harvest.prom")); // an empty file holds nothing to lose
        Harvest.Result first = Harvest.run(with("--metrics-file", prom.toString(), "-q").toArray(String[]::new));
        assertEquals(0, first.exitCode(), first.stderr());
        Path again = Files.createDirectory(dir.resolve("again"));
        Harvest.Result second = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", again.toString(), "--metrics-file", prom.toString(), "-q");
        assertEquals(0, second.exitCode(), "a previous run's metrics file is replaced: " + second.stderr());
    }

    // 7. per-row URLs that can never be fetched

    @Test
    void aRowUrlWithAnImpossiblePortIsInvalidNotANetworkFailure() throws Exception {
        Path rows = Files.writeString(dir.resolve("rows.csv"), "id,url\nA," + server.baseUrl() + "/c/A\n"
                + "P,http://127.0.0.1:99999/c/P\nZ,http://127.0.0.1:0/c/Z\nL,http://" + "a".repeat(64) + ".example/c/L\n");
        Harvest.Result r = Harvest.run("--input", rows.toString(), "--url-column", "url", "--out", out.toString(),
                "--retries", "0", "-q");
        assertEquals(1, r.exitCode(), r.stderr());
        List<String> all = Harvest.lines(Harvest.only(out, "failed-"));
        List<String> failed = new ArrayList<>(all.subList(1, all.size()));
        failed.sort(null);
        failed.addFirst(all.getFirst());
        assertEquals(4, failed.size(), failed.toString());
        assertTrue(failed.get(1).startsWith("L,invalid_url,,0,false,a label of the host name is longer than 63"), failed.get(1));
        assertTrue(failed.get(2).startsWith("P,invalid_url,,0,false,port 99999 is out of range (1 to 65535)"), failed.get(2));
        assertTrue(failed.get(3).startsWith("Z,invalid_url,,0,false,port 0 is out of range"), failed.get(3));
        assertEquals(1, server.getAllServeEvents().size());
    }

    // 8. bounded reads

    @Test
    void tokenAndConfigFilesAreReadWithABound() throws Exception {
        assertRefused("--token-file /dev/zero: larger than 64 KiB", with("--token-file", "/dev/zero"));
        assertRefused("--config /dev/zero: larger than 1 MiB", with("--config", "/dev/zero"));
        Path big = Files.write(dir.resolve("big.properties"), new byte[(1 << 20) + 1]);
        assertRefused("--config " + big + ": larger than 1 MiB", with("--config", big.toString()));
        assertRefused("--token-file " + dir + ": is a directory", with("--token-file", dir.toString()));
        Path twoLines = Files.writeString(dir.resolve("token"), "abc\ndef\n");
        assertRefused("--token-file " + twoLines + ": the token has a space, a line break", with("--token-file", twoLines.toString()));
        assertRefused("--config " + dir.resolve("nope") + ": no such file", with("--config", dir.resolve("nope").toString()));
    }
}
