package dev.harvest.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.harvest.Harvest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input read exactly as written, end to end through the CLI against a loopback echo service. */
@Tag("slow")
class InputAsWrittenTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    @TempDir
    Path dir;

    private EchoServer server;

    @BeforeEach
    void start() throws Exception {
        server = new EchoServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Harvest.Result run(Path input, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--url", server.url(),
                "--out", out.toString(), "--retries", "0", "--quiet"));
        args.addAll(Arrays.asList(more));
        return Harvest.run(args.toArray(String[]::new));
    }

    /** The failed file's rows as another CSV reader (Jackson's) sees them: [id, reason, message]. */
    private static List<List<String>> failedRows(Path out) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = CSV.readerFor(String[].class)
                .readValues(Files.newBufferedReader(Harvest.only(out, "failed-"), StandardCharsets.UTF_8))) {
            it.nextValue(); // header
            while (it.hasNextValue()) {
                String[] r = it.nextValue();
                rows.add(List.of(r[0], r[1], r[5]));
            }
        }
        return rows;
    }

    private static JsonNode summary(Path out) throws Exception {
        return JSON.readTree(Harvest.only(out, "summary-").toFile());
    }

    @Test
    void aPlainListLosesNoIdToAHeader() throws Exception {
        Path input = Files.writeString(dir.resolve("ids.txt"), "C1\nC2\nC3\n");
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result r = run(input, out);

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(List.of("C1", "C2", "C3"), server.takeReceived());
    }

    @Test
    void aCsvKeepsItsHeaderByDefaultAndEitherCanBeOverridden() throws Exception {
        Path csv = Files.writeString(dir.resolve("ids.csv"), "id\nC1\n");
        assertEquals(0, run(csv, Files.createDirectory(dir.resolve("a"))).exitCode());
        assertEquals(List.of("C1"), server.takeReceived());

        Path txt = Files.writeString(dir.resolve("ids.txt"), "id\nC1\n");
        assertEquals(0, run(txt, Files.createDirectory(dir.resolve("b")), "--input-header", "true").exitCode());
        assertEquals(List.of("C1"), server.takeReceived());
    }

    @Test
    void aMalformedCsvRowIsOneInvalidIdAndTheRunGoesOn() throws Exception {
        Path input = Files.writeString(dir.resolve("ids.csv"),
                "id,name\nq1,a\n\"q2\"x,2\n\"q3\",\"two\nlines\"\n\"q4\" ,4\nq5,e\n\"q6,unterminated\nq7,g\n");
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result r = run(input, out, "--id-column", "id");

        assertEquals(1, r.exitCode(), "completed, some IDs failed: " + r.stderr());
        assertEquals(List.of("q1", "q3", "q5"), server.takeReceived());
        List<List<String>> failed = failedRows(out);
        assertEquals(3, failed.size(), failed.toString());
        for (List<String> row : failed) {
            assertEquals("", row.get(0));
            assertEquals("invalid_id", row.get(1));
            assertTrue(row.get(2).startsWith("malformed CSV row at line "), row.get(2));
            assertFalse(row.get(2).contains("jackson") || row.get(2).contains("Source: "), row.get(2));
        }
        assertEquals(List.of("malformed CSV row at line 3", "malformed CSV row at line 6", "malformed CSV row at line 8"),
                failed.stream().map(row -> row.get(2).substring(0, row.get(2).indexOf(':'))).toList(),
                "the line each starts on");
        assertTrue(failed.get(2).get(2).contains("no closing quote"), failed.get(2).toString());
        String log = Files.readString(Harvest.only(out, "harvest-"));
        assertTrue(log.contains("(line 3) failed: invalid_id") && log.contains("(line 6) failed: invalid_id")
                && log.contains("(line 8) failed: invalid_id"), "each on the line it starts on: " + log);
        JsonNode s = summary(out);
        assertEquals(List.of(6L, 3L, 3L, 0L), List.of(s.get("lines_read").asLong(), s.get("ok").asLong(),
                s.get("failed").asLong(), s.get("skipped").asLong()), "records after the header: each in exactly one place");
    }

    @Test
    void aByteOrderMarkBeforeAQuotedHeaderAsPowerShellWritesIt() throws Exception {
        Path input = Files.write(dir.resolve("ids.csv"),
                "\uFEFF\"id\",\"name\"\r\n\"C1\",\"Smith\"\r\n\"C 2\",\"Jones\"\r\n".getBytes(StandardCharsets.UTF_8));
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result r = run(input, out, "--id-column", "id");

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(List.of("C 2", "C1"), server.takeReceived());
    }

    @Test
    void idsAreNotTrimmedUnlessAsked() throws Exception {
        Path input = Files.writeString(dir.resolve("ids.csv"), "id,n\n C1 ,1\n");
        assertEquals(0, run(input, Files.createDirectory(dir.resolve("a"))).exitCode());
        assertEquals(List.of(" C1 "), server.takeReceived());
        assertEquals(0, run(input, Files.createDirectory(dir.resolve("b")), "--trim").exitCode());
        assertEquals(List.of("C1"), server.takeReceived());
    }

    @Test
    void theFailedFileFedBackInAsksForExactlyTheSameIds() throws Exception {
        List<String> valid = List.of("a,b", "say \"hi\"", " lead", "trail ", "é/ü?x=1#y", "\"quoted\"", "back\\slash",
                "semi;colon", "emoji\uD83D\uDE00");
        StringBuilder csv = new StringBuilder("id\n");
        for (String id : valid) {
            csv.append('"').append(id.replace("\"", "\"\"")).append("\"\n");
        }
        csv.append("\"ctl\u0001x\"\n\"two\nlines\"\n\"nul\u0000\"\n\"crlf\r\nkept\"\n");
        Path input = Files.writeString(dir.resolve("ids.csv"), csv);
        Path first = Files.createDirectory(dir.resolve("first"));
        server.failAll(true);

        assertEquals(1, run(input, first).exitCode());
        List<String> asked = server.takeReceived();
        assertEquals(valid.stream().sorted().toList(), asked);
        List<List<String>> failedFirst = failedRows(first);

        server.failAll(false);
        Path second = Files.createDirectory(dir.resolve("second"));
        Harvest.Result r = run(Harvest.only(first, "failed-"), second);

        assertEquals(1, r.exitCode(), "the invalid IDs are invalid again: " + r.stderr());
        assertEquals(asked, server.takeReceived(), "the re-run asks for exactly the same IDs");
        List<List<String>> failedSecond = failedRows(second);
        assertEquals(List.of("ctl\u0001x", "two\nlines", "nul\u0000", "crlf\r\nkept"), failedSecond.stream().map(row -> row.get(0)).toList());
        assertEquals(failedFirst.stream().filter(row -> row.get(1).equals("invalid_id")).toList(), failedSecond);
        String log = Files.readString(Harvest.only(first, "harvest-"));
        assertTrue(log.contains("id two\\u000Alines (line"), "the log shows control characters, never writes them: " + log);
    }

    @Test
    void aPathTheFileSystemCannotTakeIsAOneLineUsageError() throws Exception {
        Path input = Files.writeString(dir.resolve("ids.txt"), "C1\n");

        Harvest.Result r = run(input, dir.resolve("out"), "--out", dir.resolve("bad") + "\u0000name");

        assertEquals(2, r.exitCode(), r.stderr());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("harvest: error: '") && r.stderr().contains("bad"), r.stderr());
    }

    @Test
    void aNonAsciiPathUnderTheCLocaleIsAOneLineUsageErrorNotAStackTrace() throws Exception {
        Path input = Files.writeString(dir.resolve("ids.txt"), "C1\n");
        ProcessBuilder pb = new ProcessBuilder(Harvest.childCommand("run", "--input", input.toString(),
                "--url", server.url(), "--out", dir.resolve("sörtie").toString()));
        pb.environment().clear(); // as under cron or env -i: the C locale, whose character set is ASCII
        pb.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM ended");
        String err = Files.readString(dir.resolve("stderr"), StandardCharsets.US_ASCII);
        assertEquals(2, p.exitValue(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("harvest: error: '") && err.contains("LC_ALL=C.UTF-8"), err);
    }
}
