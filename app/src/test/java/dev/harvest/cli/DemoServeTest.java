package dev.harvest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.Harvest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code harvest demo --serve}: the stub service in the foreground (a child JVM), and the command it
 * prints works when pasted: the first job of a newcomer's own.
 */
class DemoServeTest {
    @TempDir
    Path dir;

    @Test
    void thePrintedCommandRunsAgainstTheServedStubUntilItIsStopped() throws Exception {
        Path out = dir.resolve("demo");
        Process child = new ProcessBuilder(Harvest.childCommand("demo", "--serve", "--port", "0", "--out", out.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            List<String> seen = new ArrayList<>();
            String command = null;
            for (String line; command == null && (line = lines.readLine()) != null; ) {
                seen.add(line);
                if (line.startsWith("  harvest ")) {
                    command = line.strip();
                }
            }
            assertTrue(command != null, "a command to paste: " + seen);
            assertTrue(seen.getFirst().matches("harvest demo: stub customer service at http://127\\.0\\.0\\.1:\\d+/customers/"
                    + " until Ctrl-C; 2000 sample IDs in .*demo-ids\\.txt"), seen.getFirst());
            assertEquals(DemoCommand.IDS, Harvest.lines(out.resolve(DemoCommand.SERVE_IDS)).size());

            Harvest.Result r = Harvest.run(shellWords(command).subList(1, shellWords(command).size()).toArray(String[]::new));
            assertEquals(1, r.exitCode(), r.stderr()); // the stub's 404s, on purpose
            Path firstJob = out.resolve("first-job");
            assertEquals(DemoCommand.IDS - DemoCommand.IDS / 97, Harvest.lines(Harvest.only(firstJob, "results-")).size());
            assertEquals(DemoCommand.IDS / 97, Harvest.lines(Harvest.only(firstJob, "failed-")).size() - 1);
            assertTrue(child.isAlive(), "still serving");
        } finally {
            child.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the JVM exits
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "stops on SIGTERM");
        }
    }

    @Test
    void aPortInUseIsAOneLineUsageError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Harvest.Result r = Harvest.run("demo", "--serve", "--port", String.valueOf(port), "--out", dir.toString());
            assertEquals(2, r.exitCode());
            assertEquals(1, r.stderr().lines().count(), r.stderr());
            assertTrue(r.stderr().startsWith("harvest: error: --port " + port + ": cannot listen on 127.0.0.1:" + port), r.stderr());
        }
    }

    @Test
    void serveFlagsAreTheDemosOnly() {
        assertTrue(Harvest.run("demo", "--port", "9").stderr().startsWith("harvest: error: --port is for harvest demo --serve"));
        assertTrue(Harvest.run("demo", "--serve", "--concurrency", "4").stderr()
                .startsWith("harvest: error: harvest demo --serve takes only --out and --port"));
        assertTrue(Harvest.run("--serve").stderr().startsWith("harvest: error: unknown option --serve"));
        assertTrue(Harvest.run("demo", "--serve", "--port", "70000").stderr()
                .startsWith("harvest: error: --port: expected a port number from 0 to 65535"));
    }

    /** The words a POSIX shell makes of a line of plain words and single-quoted ones. */
    private static List<String> shellWords(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }
}
