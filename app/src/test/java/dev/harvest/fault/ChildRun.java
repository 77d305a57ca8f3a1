package dev.harvest.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.harvest.Harvest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One harvest run in a child JVM (its stdout and stderr in one file), and the checks the stop and
 * stage-death tests share: the run ends within a bound, and every ID is in exactly one place.
 */
final class ChildRun {
    private static final Pattern JSONL_ID = Pattern.compile("^\\{\"id\":\"([^\"]+)\"");

    final Process process;
    final Path output;

    private ChildRun(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts harvest with stdin from {@code /dev/null}. */
    static ChildRun start(Path output, String... args) throws IOException {
        return start(output, ProcessBuilder.Redirect.from(new File("/dev/null")), args);
    }

    /** Starts harvest; {@code stdin} is where its standard input comes from. */
    static ChildRun start(Path output, ProcessBuilder.Redirect stdin, String... args) throws IOException {
        Files.deleteIfExists(output);
        Process p = new ProcessBuilder(Harvest.childCommand(args)).redirectInput(stdin).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        return new ChildRun(p, output);
    }

    /** Waits for the exit code; a run still going after {@code seconds} is killed and fails the test. */
    int exitWithin(int seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("still running after " + seconds + " s (killed); output:\n" + text());
        }
        return process.exitValue();
    }

    String text() throws IOException {
        return Files.readString(output);
    }

    /** Waits until a file named like {@code regex} in {@code dir} is bigger than {@code bytes}. */
    static void awaitFile(Process p, Path dir, String regex, long bytes) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && System.nanoTime() < deadline) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.anyMatch(f -> f.getFileName().toString().matches(regex) && f.toFile().length() > bytes)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the run was still going when it reached the point the test waits for");
    }

    /** The finished run's summary outcome. */
    static String summaryOutcome(Path out) throws IOException {
        JsonNode summary = new ObjectMapper().readTree(Harvest.only(out, "summary-").toFile());
        return summary.get("outcome").asText();
    }

    /**
     * Every ID in exactly one place: the results (CSV whose first column is the ID, or JSON Lines
     * starting with it) or the failed file; nothing left unfinished.
     *
     * @return the failed file's rows, without its header
     */
    static List<String> assertEachIdOnce(Path out, List<String> ids) {
        List<String> names = Harvest.names(out);
        assertTrue(names.stream().noneMatch(n -> n.endsWith(".part") || n.endsWith(".journal")), names.toString());
        Map<String, Integer> seen = new HashMap<>();
        List<String> results = Harvest.lines(Harvest.only(out, "results-"));
        boolean csv = Harvest.only(out, "results-").toString().endsWith(".csv");
        for (String row : csv ? results.subList(1, results.size()) : results) {
            String id;
            if (csv) {
                id = row.split(",", -1)[0];
            } else {
                Matcher m = JSONL_ID.matcher(row);
                assertTrue(m.find(), "a JSON Lines row: " + row);
                id = m.group(1);
            }
            seen.merge(id, 1, Integer::sum);
        }
        List<String> failed = new ArrayList<>(Harvest.lines(Harvest.only(out, "failed-")));
        failed.removeFirst();
        for (String row : failed) {
            seen.merge(row.split(",", -1)[0], 1, Integer::sum);
        }
        for (String id : ids) {
            assertEquals(1, seen.getOrDefault(id, 0), id + " is in exactly one of the results and the failed file");
        }
        assertEquals(ids.size(), seen.size(), "no other IDs: " + seen.keySet());
        return failed;
    }
}
