package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals always work: whatever the run is waiting for (input that never ends or never comes,
 * a permit while every slot is taken by a slow request), SIGTERM ends it with exit 143, the
 * journal kept and the summary saying it stopped, and a resume completes with every ID once.
 * Each run is a child JVM signalled with {@link Process#destroy()} (SIGTERM on Linux).
 * The bounds are generous (the machine is loaded): the point is that the run ends at all, well
 * before the slow requests or the drain timeout would end it.
 */
@Tag("slow")
class StopSignalTest {
    private static final int IDS = 200;
    /** Seconds a stalled request takes: longer than the bounds below, so only a working stop ends the run in time. */
    private static final int STALL_SECONDS = 90;
    private static final int BOUND_SECONDS = 30;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private final List<String> ids = IntStream.rangeClosed(1, IDS).mapToObj(i -> String.format("C%07d", i)).toList();

    private void stubFast() {
        server.resetAll();
        server.stubFor(get(urlPathMatching("/customers/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"details\":[{\"x\":1}]}")));
    }

    /** Fast answers, but every tenth ID (from the 7th on) stalls: soon every slot holds a stalled request. */
    private void stubStalling() {
        stubFast();
        server.stubFor(get(urlPathMatching("/customers/C\\d{6}7")).atPriority(1).willReturn(aResponse()
                .withFixedDelay(STALL_SECONDS * 1000)
                .withHeader("Content-Type", "application/json").withBody("{\"details\":[{\"x\":7}]}")));
    }

    private String[] args(Path input, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--input", input.toString(),
                "--url", server.baseUrl() + "/customers/{id}", "--out", out.toString(), "-q",
                "--format", "csv", "--records", "/details", "--fields", "customer={id},x=/x",
                "--concurrency", "4", "--timeout", (STALL_SECONDS * 2) + "s"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** Waits until the run has stored some rows and every slot holds a stalled request. */
    private static void awaitSaturated(ChildRun run, Path out) throws Exception {
        ChildRun.awaitFile(run.process, out, "results-.*\\.csv\\.part", 200);
        Thread.sleep(1000);
        assertTrue(run.process.isAlive(), "still running when signalled: " + run.text());
    }

    /** Exit 143 with one line about it, journal kept, summary saying stopped; then a resume completes. */
    private void assertStoppedThenResumes(ChildRun run, Path input, Path out) throws Exception {
        int code = run.exitWithin(BOUND_SECONDS);
        String text = run.text();
        assertEquals(143, code, text);
        assertFalse(text.contains("Exception"), "no stack trace: " + text);
        assertTrue(text.contains("--resume"), "tells the operator how to continue: " + text);
        assertTrue(Harvest.names(out).stream().anyMatch(n -> n.endsWith(".journal")), "journal kept: " + Harvest.names(out));
        assertTrue(ChildRun.summaryOutcome(out).contains("stopped by SIGTERM"), ChildRun.summaryOutcome(out));

        stubFast();
        ChildRun resumed = ChildRun.start(dir.resolve("resume.out"), args(input, out, "--resume"));
        assertEquals(0, resumed.exitWithin(120), resumed.text());
        ChildRun.assertEachIdOnce(out, ids);
    }

    @Test
    void twoQuickSignalsWhileEverySlotIsTakenStopAtOnce() throws Exception {
        stubStalling();
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
        Path out = Files.createDirectory(dir.resolve("out"));
        ChildRun run = ChildRun.start(dir.resolve("child.out"), args(input, out, "--drain-timeout", "10m"));
        awaitSaturated(run, out);
        run.process.destroy();
        Thread.sleep(20); // two signals, not one: pending signals of one kind are merged
        run.process.destroy();
        assertStoppedThenResumes(run, input, out);
    }

    @Test
    void zeroDrainTimeoutStopsAtOnceOnOneSignal() throws Exception {
        stubStalling();
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
        Path out = Files.createDirectory(dir.resolve("out"));
        ChildRun run = ChildRun.start(dir.resolve("child.out"), args(input, out, "--drain-timeout", "0"));
        awaitSaturated(run, out);
        run.process.destroy();
        assertStoppedThenResumes(run, input, out);
    }

    @Test
    void anEndlessInputLineDoesNotHoldOffASignal() throws Exception {
        stubFast();
        Path out = Files.createDirectory(dir.resolve("out"));
        ChildRun run = ChildRun.start(dir.resolve("child.out"), args(Path.of("/dev/zero"), out, "--drain-timeout", "10m"));
        ChildRun.awaitFile(run.process, out, "summary-.*\\.json", 0); // written once signals are handled
        Thread.sleep(3000); // well into the endless line
        assertTrue(run.process.isAlive(), run.text());
        run.process.destroy();
        assertEquals(143, run.exitWithin(BOUND_SECONDS), run.text());
        assertFalse(run.text().contains("Exception"), run.text());
        assertTrue(ChildRun.summaryOutcome(out).contains("stopped by SIGTERM"), ChildRun.summaryOutcome(out));
    }

    /**
     * Starts a run on standard input, sends it a header and one ID, waits until that ID's row is
     * written (so the owner is past its start-up and reading), then sends {@code then} (or nothing,
     * for a pipe that stays open and silent) and signals it.
     */
    private void stdinRunStopsOnOneSignal(byte[] then) throws Exception {
        stubFast();
        Path out = Files.createDirectory(dir.resolve("out"));
        ChildRun run = ChildRun.start(dir.resolve("child.out"), ProcessBuilder.Redirect.PIPE,
                args(Path.of("-"), out, "--drain-timeout", "10m"));
        OutputStream stdin = run.process.getOutputStream();
        try {
            stdin.write("customer_id\nC0000001\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            ChildRun.awaitFile(run.process, out, "results-.*\\.csv\\.part", "customer,x\n".length());
            if (then != null) {
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (true) {
                            stdin.write(then); // until the run ends and the pipe breaks
                        }
                    } catch (IOException e) {
                        // the run has ended
                    }
                });
            }
            Thread.sleep(1000);
            assertTrue(run.process.isAlive(), run.text());
            // SIGTERM alone: Process.destroy() also closes the child's stdin, and a reader that saw
            // that end of input first rightly completed the run (exit 0) before the signal was handled.
            run.process.toHandle().destroy();
            assertEquals(143, run.exitWithin(BOUND_SECONDS), run.text());
            assertFalse(run.text().contains("Exception"), run.text());
            assertTrue(ChildRun.summaryOutcome(out).contains("stopped by SIGTERM"), ChildRun.summaryOutcome(out));
        } finally {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
    }

    @Test
    void standardInputThatNeverSendsMoreDoesNotHoldOffASignal() throws Exception {
        stdinRunStopsOnOneSignal(null); // a read blocks for good
    }

    @Test
    void anEndlessLineOnStandardInputDoesNotHoldOffASignal() throws Exception {
        byte[] chunk = new byte[1 << 16];
        Arrays.fill(chunk, (byte) 'x');
        stdinRunStopsOnOneSignal(chunk); // a line that never ends, read from a source that cannot be interrupted
    }
}
