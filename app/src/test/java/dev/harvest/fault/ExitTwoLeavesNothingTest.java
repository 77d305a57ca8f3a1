package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every usage or configuration mistake ends the same way: exit 2, one line on stderr, nothing on
 * stdout, no request, and the empty --out directory still empty (no log, no .part file). Each case
 * runs in a fresh, empty --out.
 */
class ExitTwoLeavesNothingTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    static Path dir;
    static Path input;
    static Path config;
    static Path notes;

    /** One mistake: the flags after --input/--url/--out (given the run's --out), its environment, the error's start. */
    record Case(String name, Map<String, String> env, Function<Path, List<String>> extra, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void files() throws IOException {
        input = Harvest.idFile(dir, "ids.txt", "id", List.of("A", "B"));
        config = Files.writeString(dir.resolve("job.properties"), "retries=1\n");
        notes = Files.writeString(dir.resolve("notes.txt"), "not metrics\n");
    }

    private static Case c(String name, String expected, String... extra) {
        return new Case(name, Map.of(), out -> List.of(extra), expected);
    }

    static Stream<Case> cases() {
        String missing = dir.resolve("missing").toString();
        return Stream.of(
                c("typo in a flag", "unknown option --concurrancy", "--concurrancy", "5"),
                c("max-body beyond a long", "--max-body: expected a size", "--max-body", "99999999999999999999"),
                c("max-body overflowing with its unit", "--max-body: expected a size", "--max-body", "9999999999999g"),
                c("timeout of centuries", "--timeout: expected a duration from 1ms to 24h", "--timeout", "999999999999999h"),
                c("drain-timeout of centuries", "--drain-timeout: expected a duration", "--drain-timeout", "99999999h"),
                c("concurrency above the maximum", "--concurrency: expected a whole number from 1 to 10000", "--concurrency", "10001"),
                c("rate below the minimum", "--rate: expected requests per second", "--rate", "1e-300"),
                c("id-column beyond an int", "--id-column: column numbers start at 1", "--id-column", "99999999999"),
                c("Host header", "--header: the HTTP client sets Host itself", "--header", "Host: x"),
                c("Content-Length header", "--header: the HTTP client sets Content-Length", "--header", "Content-Length: 1"),
                new Case("Host header from HARVEST_HEADER", Map.of("HARVEST_HEADER", "Host: x"), out -> List.of(),
                        "HARVEST_HEADER: the HTTP client sets Host itself"),
                c("url with a fragment", "--url must not have a #fragment", "--url", server.baseUrl() + "/c/x#{id}"),
                c("url with a port out of range", "--url: port 70000 is out of range", "--url", "http://localhost:70000/c/{id}"),
                c("log on the input", "--log " + input + " is the same file as --input", "--log", input.toString()),
                c("metrics on the config", "--metrics-file " + config + " is the same file as --config",
                        "--config", config.toString(), "--metrics-file", config.toString()),
                c("metrics on a file that is not harvest's", "--metrics-file " + notes + ": exists and is not a metrics file",
                        "--metrics-file", notes.toString()),
                c("results and failed on one file", "--failed " + dir.resolve("x.csv") + " is the same file as --results",
                        "--results", dir.resolve("x.csv").toString(), "--failed", dir.resolve("x.csv").toString()),
                c("token file /dev/zero", "--token-file /dev/zero: larger than 64 KiB", "--token-file", "/dev/zero"),
                c("config file /dev/zero", "--config /dev/zero: larger than 1 MiB", "--config", "/dev/zero"),
                c("results in a missing directory", "--results " + missing + "/r.jsonl: its directory is missing",
                        "--results", missing + "/r.jsonl"),
                c("failed in a missing directory", "--failed " + missing + "/f.csv: its directory is missing",
                        "--failed", missing + "/f.csv"),
                c("log in a missing directory", "--log " + missing + "/h.log: its directory is missing",
                        "--log", missing + "/h.log"),
                c("summary given to run", "--summary is for harvest verify", "--summary", "s.json"),
                c("csv without fields", "--format csv needs --fields", "--format", "csv"),
                new Case("bad value from the environment",
                        Map.of("HARVEST_RETRIES", "x"), out -> List.of(), "HARVEST_RETRIES (retries): expected a whole number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitTwoWithOneLineAndAnEmptyOutDirectory(Case c) throws IOException {
        Path out = Files.createTempDirectory(dir, "out");
        List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString()));
        args.addAll(c.extra().apply(out));
        Harvest.Result r = Harvest.run(c.env(), args.toArray(String[]::new));
        assertEquals(2, r.exitCode(), r.stdout() + r.stderr());
        assertEquals(1, r.stderr().lines().count(), "one line: " + r.stderr());
        assertTrue(r.stderr().startsWith("harvest: error: " + c.expected()), r.stderr());
        assertEquals("", r.stdout());
        assertEquals(List.of(), Harvest.names(out), "nothing created in --out");
        assertEquals(0, server.getAllServeEvents().size(), "no request sent");
        assertEquals(List.of("ids.txt", "job.properties", "notes.txt"), names(dir), "nothing created beside the input");
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("out")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
