package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
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

/** Bad input: one line naming the problem, exit 2, no file created, no request sent. */
class ConfigErrorsTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    Path out;
    Path input;

    @BeforeEach
    void setUp() throws Exception {
        out = Files.createDirectory(dir.resolve("out"));
        input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1"));
    }

    private List<String> good() {
        return new ArrayList<>(List.of("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", out.toString()));
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

    private List<String> with(String... extra) {
        List<String> a = good();
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void typoInAFlagSuggestsTheNearestOne() {
        assertRefused("unknown option --concurrancy (did you mean --concurrency?)", Map.of(), with("--concurrancy", "5"));
    }

    @Test
    void unknownKeyInAConfigFile() throws Exception {
        Path cfg = Files.writeString(dir.resolve("job.properties"), "retires=5\n");
        assertRefused("job.properties: unknown key 'retires' (did you mean 'retries'?)", Map.of(), with("--config", cfg.toString()));
    }

    @Test
    void urlWithoutIdOrWithAnotherScheme() {
        List<String> a = good();
        a.set(3, server.baseUrl() + "/c");
        assertRefused("--url must contain {id}", Map.of(), a);
        a.set(3, "ftp://example.com/{id}");
        assertRefused("--url must start with http:// or https://", Map.of(), a);
    }

    @Test
    void missingInputFileOrAnOutputDirectoryThatIsAFile() throws Exception {
        List<String> a = good();
        a.set(1, dir.resolve("nope.txt").toString());
        assertRefused("--input " + dir.resolve("nope.txt") + ": no such file", Map.of(), a);
        // (A missing --out is created: OutputPlacesTest.)
        List<String> b = good();
        Path file = Files.writeString(dir.resolve("afile"), "x");
        b.set(5, file.toString());
        assertRefused("--out " + file + ": exists and is not a directory", Map.of(), b);
    }

    @Test
    void anUnwritableOutputDirectoryIsRefusedBeforeAnythingHappens() throws Exception {
        // /proc takes no new files, not even from root (CI and these machines run tests as root,
        // where a chmod'ed directory stays writable); a read-only directory covers everyone else.
        List<String> a = good();
        a.set(5, "/proc");
        assertRefused("--out /proc: cannot create the lock file: /proc/.harvest-", Map.of(), a);
        if (!"root".equals(System.getProperty("user.name"))) {
            Path ro = Files.createDirectory(dir.resolve("readonly"));
            Files.setPosixFilePermissions(ro, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            a.set(5, ro.toString());
            assertRefused("--out " + ro + ": not writable", Map.of(), a);
        }
    }

    @Test
    void badValuesNameTheSettingAndWhereItCameFrom() {
        assertRefused("--concurrency: expected a whole number from 1 to 10000, got '0'", Map.of(), with("--concurrency", "0"));
        assertRefused("--timeout: expected a duration like 250ms, 30s or 5m, got 'soon'", Map.of(), with("--timeout", "soon"));
        assertRefused("HARVEST_RETRIES (retries): expected a whole number", Map.of("HARVEST_RETRIES", "many"), good());
        assertRefused("--format csv needs --fields", Map.of(), with("--format", "csv"));
    }

    @Test
    void aMissingTokenVariableIsAnErrorAndTheTokenIsNeverPrinted() {
        assertRefused("--token-env API_TOKEN: that environment variable is not set or empty", Map.of(), with("--token-env", "API_TOKEN"));
    }
}
