package dev.harvest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.harvest.Harvest;
import dev.harvest.demo.StubCustomerService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a run's files go: {@code --log -} to stderr, bare {@code --results/--failed/--log} names in
 * {@code --out} (as the default names), and a missing {@code --out} created by {@code harvest run}
 * and {@code harvest demo} alike (and removed again when the run stops with a setup error).
 */
class OutputPlacesTest {
    @TempDir
    Path dir;

    private StubCustomerService service;
    private Path ids;

    @BeforeEach
    void start() throws Exception {
        service = StubCustomerService.start();
        ids = Files.write(dir.resolve("ids.txt"), List.of("C1", "C2", "C3", "C4", "C97")); // C97: 404
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void logDashWritesTheLogToStderrAndNoLogFile() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Harvest.Result r = Harvest.run("--input", ids.toString(), "--url", service.urlTemplate(), "--out", out.toString(),
                "--log", "-", "-v", "--header", "X-Api-Key: s3cret-in-a-header");
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(r.stderr().lines().anyMatch(l -> l.matches("\\S+ INFO  \\[.*\\] effective config: .*")), r.stderr());
        assertTrue(r.stderr().lines().anyMatch(l -> l.contains(" DEBUG ")), "-v reaches stderr too: " + r.stderr());
        assertFalse(r.stderr().contains("s3cret-in-a-header"), "secrets scrubbed on stderr as in a file");
        assertTrue(Harvest.names(out).stream().noneMatch(n -> n.endsWith(".log")), Harvest.names(out).toString());
        assertFalse(Files.exists(Path.of("-")), "no file named '-'");
        assertEquals(4, Harvest.lines(Harvest.only(out, "results-")).size());
    }

    @Test
    void logDashOnATerminalDrawsNoProgressLineToTearItsLines() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) for a terminal");
        Path many = Files.write(dir.resolve("many.txt"), java.util.stream.IntStream.rangeClosed(1, 120).mapToObj(i -> "C" + i).toList());
        String onTerminal = onATerminal("--input", many.toString(), "--url", service.urlTemplate(), "--out",
                dir.resolve("a").toString(), "--rate", "60", "--no-proxy");
        assertTrue(onTerminal.contains("req/s  ETA"), "the progress line, on a terminal: " + onTerminal);
        String logged = onATerminal("--input", many.toString(), "--url", service.urlTemplate(), "--out",
                dir.resolve("b").toString(), "--rate", "60", "--no-proxy", "--log", "-");
        assertTrue(logged.contains("effective config"), logged);
        assertFalse(logged.contains("req/s  ETA"), "no progress line among the log lines: " + logged);
    }

    /** What harvest, in a child JVM whose stdout and stderr are a terminal (script(1)), printed. */
    private String onATerminal(String... args) throws Exception {
        String command = Harvest.childCommand(args).stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(java.util.stream.Collectors.joining(" "));
        Process p = new ProcessBuilder("/usr/bin/script", "-qec", command, "/dev/null").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), printed); // C97: 404
        return printed;
    }

    @Test
    void bareFileNamesAreInOutAsTheDefaultsAre() throws Exception {
        Path out = dir.resolve("out");
        Harvest.Result r = Harvest.run("--input", ids.toString(), "--url", service.urlTemplate(), "--out", out.toString(),
                "--results", "r.jsonl", "--failed", "f.csv", "--log", "h.log", "--quiet");
        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(Harvest.names(out).containsAll(List.of("r.jsonl", "f.csv", "h.log")), Harvest.names(out).toString());
        for (String name : List.of("r.jsonl", "f.csv", "h.log")) {
            assertFalse(Files.exists(Path.of(name)), name + " not in the working directory");
        }
        assertEquals(4, Harvest.lines(out.resolve("r.jsonl")).size());
        // A name with a directory part is taken as given.
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        r = Harvest.run("--input", ids.toString(), "--url", service.urlTemplate(), "--out", out.toString(),
                "--results", elsewhere.resolve("r2.jsonl").toString(), "--quiet");
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals(List.of("r2.jsonl"), Harvest.names(elsewhere));
    }

    @Test
    void runCreatesAMissingOutDirectory() {
        Path out = dir.resolve("runs/2026/12");
        Harvest.Result r = Harvest.run("--input", ids.toString(), "--url", service.urlTemplate(), "--out", out.toString(), "--quiet");
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals(4, Harvest.lines(Harvest.only(out, "results-")).size());
        assertEquals(1, Harvest.lines(Harvest.only(out, "failed-")).size() - 1);
    }

    @Test
    void aSetupErrorRemovesTheOutDirectoryItCreated() {
        Path out = dir.resolve("new/deeper");
        Harvest.Result r = Harvest.run("--input", ids.toString(), "--url", service.urlTemplate(), "--out", out.toString(), "--resume");
        assertEquals(2, r.exitCode(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertFalse(Files.exists(dir.resolve("new")), "exit 2 leaves nothing behind, not even the directories it made");
    }

    @Test
    void demoCreatesAMissingOutDirectoryToo() {
        Path out = dir.resolve("demo/first");
        Harvest.Result r = Harvest.run("demo", "--out", out.toString(), "--quiet");
        assertEquals(1, r.exitCode(), r.stderr()); // the stub fails some IDs on purpose
        assertEquals(DemoCommand.IDS, Harvest.lines(out.resolve(DemoCommand.SERVE_IDS)).size());
        assertTrue(Harvest.lines(Harvest.only(out, "results-")).size() > DemoCommand.IDS, "three rows per customer");
        assertTrue(Files.exists(Harvest.only(out, "failed-")));
    }
}
