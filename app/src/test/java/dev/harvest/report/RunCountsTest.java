package dev.harvest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.harvest.fetch.FailureReason;
import dev.harvest.read.SkipReason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunCountsTest {
    @Test
    void aSnapshotKeepsItsFiguresWhileTheRunGoesOn() {
        RunStats stats = new RunStats();
        stats.lineRead(10);
        stats.ok(2, 1_000_000L);
        stats.failed(FailureReason.HTTP_404, 1_000_000L);
        stats.skipped(SkipReason.values()[0]);

        RunCounts before = stats.snapshot();
        stats.lineRead(20);
        stats.ok(1, 1_000_000L);
        stats.failed(FailureReason.HTTP_404, 1_000_000L);
        stats.abandonedOne();

        assertEquals(new RunCounts(1, 1, 2, 0, 0, Map.of(FailureReason.HTTP_404, 1L),
                Map.of(SkipReason.values()[0], 1L), 0, 0), before);
        assertEquals(2, before.finished());
        RunCounts after = stats.snapshot();
        assertEquals(4, after.finished());
        assertEquals(1, after.unfinished());
    }

    @Test
    void reasonsAreListedInDeclarationOrderWithoutZeros() {
        FailureReason[] r = FailureReason.values();
        RunCounts c = RunCounts.outcomes(0, 0, Map.of(r[2], 1L, r[0], 3L, r[1], 0L), 0, 0);
        assertEquals(List.of(r[0], r[2]), List.copyOf(c.failed().keySet()));
        assertEquals(4, c.failedTotal());
    }

    @Test
    void restoringACheckpointSetsTheOutcomesAndKeepsTheLineCounts() {
        RunStats stats = new RunStats();
        stats.lineRead(10);
        stats.ok(5, 1_000_000L);
        stats.restore(RunCounts.outcomes(1, 2, Map.of(FailureReason.HTTP_404, 1L), 0, 0), 3);

        RunCounts c = stats.snapshot();
        assertEquals(1, c.ok());
        assertEquals(2, c.rows());
        assertEquals(1, c.failedTotal());
        assertEquals(1, c.linesRead());
        assertEquals(3, c.unfinished());
    }
}
