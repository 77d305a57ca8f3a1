package dev.harvest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.fetch.FailureReason;
import dev.harvest.report.RunStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
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
        try (Journal j = Journal.create(f.journal(), new Journal.Header("fp", f, InputIdentity.STREAM))) {
            j.checkpoint(10, 5, new long[] {3, 1, 2}, 3, new RunStats.Outcomes(3, 9, Map.of(), 0, 0));
            j.checkpoint(100, 40, new long[] {5, 4, 7}, 3, new RunStats.Outcomes(5, 15, Map.of(FailureReason.HTTP_404, 1L), 1, 0));
            // past the files on disk: as if the OS lost the data (power cut)
            j.checkpoint(500, 40, new long[] {8}, 1, new RunStats.Outcomes(6, 18, Map.of(FailureReason.HTTP_404, 1L), 1, 0));
        }
        Files.writeString(f.journal(), "{\"r\":9", StandardOpenOption.APPEND); // torn write

        Journal.State s = Journal.load(f.journal());

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
        try (Journal j = Journal.create(f.journal(), new Journal.Header("fp", f, InputIdentity.STREAM))) {
            for (int i = 1; i <= checkpoints; i++) {
                // every other line, so the done set is as fragmented as it gets
                j.checkpoint(i, 1, new long[] {2L * i}, 1, new RunStats.Outcomes(i, i, Map.of(), 0, 0));
            }
        }

        long lines;
        try (var s = Files.lines(f.journal())) {
            lines = s.count();
        }
        assertTrue(lines <= Journal.COMPACT_LINES + 2, lines + " lines for " + checkpoints + " checkpoints");
        Journal.State s = Journal.load(f.journal());
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
        try (Journal j = Journal.create(f.journal(), new Journal.Header("fp", f, InputIdentity.STREAM))) {
            j.checkpoint(10, 5, new long[] {1, 2}, 2, new RunStats.Outcomes(2, 2, Map.of(), 0, 0));
            j.completing();
        }

        Journal.State s = Journal.load(f.journal());

        assertTrue(s.completing());
        assertEquals(10, s.resultsLength());
        assertEquals("{1, 2}", s.done().toString());
        assertTrue(s.validJournalLength() < Files.size(f.journal()), "the completing line is not part of a resume");
    }
}
