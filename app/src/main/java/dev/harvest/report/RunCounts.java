package dev.harvest.report;

import dev.harvest.fetch.FailureReason;
import dev.harvest.read.SkipReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Where the run's input lines have ended up, as of one moment: an immutable snapshot of
 * {@link RunStats} (as a cache hands out its statistics), so a summary, a journal checkpoint or a
 * resume reads figures that belong together instead of counters that move while they are read.
 *
 * @param linesRead  input lines read
 * @param ok         IDs in the results (those answered 304 included)
 * @param rows       rows written to the results
 * @param okEmpty    successful IDs that left no row
 * @param unchanged  successful IDs answered 304 Not Modified
 * @param failed     failed IDs by reason (only reasons that occurred, in declaration order)
 * @param skipped    skipped lines by reason (only reasons that occurred, in declaration order)
 * @param unfinished IDs whose work stopped without an outcome (left for a resume)
 * @param doneBefore lines a resumed run had finished, read again and passed over (their outcomes are in ok and failed)
 */
public record RunCounts(long linesRead, long ok, long rows, long okEmpty, long unchanged,
                        Map<FailureReason, Long> failed, Map<SkipReason, Long> skipped, long unfinished,
                        long doneBefore) {
    /** Nothing done yet. */
    public static final RunCounts NONE = outcomes(0, 0, Map.of(), 0, 0);

    public RunCounts {
        failed = ordered(FailureReason.class, failed);
        skipped = ordered(SkipReason.class, skipped);
    }

    /**
     * Only the outcome counts, which say what the results and failed files hold: what a journal
     * checkpoint records and a resume restores.
     */
    public static RunCounts outcomes(long ok, long rows, Map<FailureReason, Long> failed, long unchanged,
                                     long okEmpty) {
        return new RunCounts(0, ok, rows, okEmpty, unchanged, failed, Map.of(), 0, 0);
    }

    /** Failed IDs, all reasons. */
    public long failedTotal() {
        return failed.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Skipped lines, all reasons. */
    public long skippedTotal() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    /** IDs that ended in the results or the failed file. */
    public long finished() {
        return ok + failedTotal();
    }

    private static <K extends Enum<K>> Map<K, Long> ordered(Class<K> type, Map<K, Long> counts) {
        Map<K, Long> m = new EnumMap<>(type);
        counts.forEach((k, v) -> {
            if (v > 0) {
                m.put(k, v);
            }
        });
        return Collections.unmodifiableMap(m);
    }
}
