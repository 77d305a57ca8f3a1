package dev.harvest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        try (Journal j = Journal.create(f.journal(), new Journal.Header("fp", f, InputIdentity.STDIN))) {
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
}
