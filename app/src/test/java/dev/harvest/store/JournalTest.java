package dev.harvest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.fetch.FailureReason;
import dev.harvest.report.RunCounts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    private RunFiles files() {
        return new RunFiles("20261122-000000", dir.resolve("r.csv"), dir.resolve("f.csv"), dir.resolve("l.log"),
                dir.resolve("s.json"), dir.resolve(".harvest-x.journal"));
    }

    @Test
    void aTornTailAndCheckpointsPastTheFilesAreIgnored() throws Exception {
        RunFiles f = files();
        Files.write(f.resultsPart(), new byte[120]);
        Files.write(f.failedPart(), new byte[50]);
        try (Journal j = Journal.create(f.journal(), new JournalHeader("fp", f, InputIdentity.STREAM))) {
            j.checkpoint(10, 5, new long[] {3, 1, 2}, 3, RunCounts.outcomes(3, 9, Map.of(), 0, 0));
            j.checkpoint(100, 40, new long[] {5, 4, 7}, 3, RunCounts.outcomes(5, 15, Map.of(FailureReason.HTTP_404, 1L), 1, 0));
            // past the files on disk: as if the OS lost the data (power cut)
            j.checkpoint(500, 40, new long[] {8}, 1, RunCounts.outcomes(6, 18, Map.of(FailureReason.HTTP_404, 1L), 1, 0));
        }
        Files.writeString(f.journal(), "{\"r\":9", StandardOpenOption.APPEND); // torn write

        JournalState s = JournalReader.load(f.journal());

        assertEquals(100, s.resultsLength());
        assertEquals(40, s.failedLength());
        assertEquals("{1, 2, 3, 4, 5, 7}", s.done().toString());
        assertEquals(5, s.counts().ok());
        assertEquals(Map.of(FailureReason.HTTP_404, 1L), s.counts().failed());
        assertEquals("fp", s.header().fingerprint());
    }

    @Test
    void aLongJobsJournalIsCompactedAndLoadsWhole() throws Exception {
        RunFiles f = files();
        int checkpoints = Journal.COMPACT_LINES * 3 + 17;
        Files.write(f.resultsPart(), new byte[checkpoints + 1]);
        Files.write(f.failedPart(), new byte[1]);
        try (Journal j = Journal.create(f.journal(), new JournalHeader("fp", f, InputIdentity.STREAM))) {
            for (int i = 1; i <= checkpoints; i++) {
                // every other line, so the done set is as fragmented as it gets
                j.checkpoint(i, 1, new long[] {2L * i}, 1, RunCounts.outcomes(i, i, Map.of(), 0, 0));
            }
        }

        long lines;
        try (var s = Files.lines(f.journal())) {
            lines = s.count();
        }
        assertTrue(lines <= Journal.COMPACT_LINES + 2, lines + " lines for " + checkpoints + " checkpoints");
        JournalState s = JournalReader.load(f.journal());
        assertEquals(checkpoints, s.done().cardinality());
        for (int i = 1; i <= checkpoints; i++) {
            assertTrue(s.done().get(2 * i), "line " + 2 * i);
        }
        assertEquals(checkpoints, s.resultsLength());
        assertEquals(checkpoints, s.counts().ok());
        assertEquals("fp", s.header().fingerprint());
        assertFalse(Files.exists(f.journal().resolveSibling(f.journal().getFileName() + ".tmp")), "no leftover");
    }

    @Test
    void aCompletingLineIsReadAsSuchAndCutOffByAResume() throws Exception {
        RunFiles f = files();
        Files.write(f.results(), new byte[10]); // renamed already
        Files.write(f.failedPart(), new byte[5]);
        try (Journal j = Journal.create(f.journal(), new JournalHeader("fp", f, InputIdentity.STREAM))) {
            j.checkpoint(10, 5, new long[] {1, 2}, 2, RunCounts.outcomes(2, 2, Map.of(), 0, 0));
            j.completing();
        }

        JournalState s = JournalReader.load(f.journal());

        assertTrue(s.completing());
        assertEquals(10, s.resultsLength());
        assertEquals("{1, 2}", s.done().toString());
        assertTrue(s.validJournalLength() < Files.size(f.journal()), "the completing line is not part of a resume");
    }

    /** The journal's line format as released: JSON, a tab, its CRC-32 in hex. */
    private static String released(String json) {
        CRC32 crc = new CRC32();
        crc.update(json.getBytes(StandardCharsets.UTF_8));
        return json + "\t" + Long.toHexString(crc.getValue()) + "\n";
    }

    @Test
    void aJournalInTheReleasedFormatResumes() throws Exception {
        RunFiles f = files();
        Files.write(f.resultsPart(), new byte[20]);
        Files.write(f.failedPart(), new byte[5]);
        // As harvest wrote it before the counts snapshot: the first checkpoint from before
        // "unchanged" and "ok_empty" existed, the second with them.
        String header = "{\"v\":2,\"fingerprint\":\"fp\",\"stamp\":\"20261122-000000\",\"results\":"
                + JsonBytes.quoted(f.results().toString()) + ",\"failed\":" + JsonBytes.quoted(f.failed().toString())
                + ",\"log\":\"l.log\",\"summary\":\"s.json\",\"input\":{\"stream\":false,\"size\":42,"
                + "\"mtime\":1700000000000,\"head_sha256\":\"ab\"}}";
        Files.writeString(f.journal(), released(header)
                + released("{\"r\":10,\"f\":5,\"ok\":2,\"rows\":3,\"failed\":{\"http_404\":1},\"d\":[1,3]}")
                + released("{\"r\":20,\"f\":5,\"ok\":4,\"rows\":6,\"unchanged\":1,\"ok_empty\":1,"
                        + "\"failed\":{\"http_404\":1},\"d\":[4,5]}"));

        JournalState s = JournalReader.load(f.journal());

        assertEquals(new InputIdentity(false, 42, 1700000000000L, "ab"), s.header().input());
        assertEquals(f.results(), s.header().files().results());
        assertEquals(20, s.resultsLength());
        assertEquals("{1, 2, 3, 4, 5}", s.done().toString());
        assertEquals(RunCounts.outcomes(4, 6, Map.of(FailureReason.HTTP_404, 1L), 1, 1), s.counts());
        assertEquals(2, s.checkpoints());
        assertEquals(Files.size(f.journal()), s.validJournalLength());
    }

    @Test
    void checkpointsAreWrittenInTheReleasedFormat() throws Exception {
        RunFiles f = files();
        try (Journal j = Journal.create(f.journal(), new JournalHeader("fp", f, InputIdentity.STREAM))) {
            j.checkpoint(10, 5, new long[] {3, 1, 2, 7}, 4,
                    RunCounts.outcomes(3, 9, Map.of(FailureReason.HTTP_404, 1L), 1, 2));
        }
        List<String> lines = Files.readAllLines(f.journal());
        assertEquals(released("{\"r\":10,\"f\":5,\"ok\":3,\"rows\":9,\"unchanged\":1,\"ok_empty\":2,"
                + "\"failed\":{\"http_404\":1},\"d\":[1,3,7,7]}"), lines.get(1) + "\n");
    }
}
