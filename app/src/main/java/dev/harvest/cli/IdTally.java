package dev.harvest.cli;

import dev.harvest.read.InputLine;
import dev.harvest.read.SkipReason;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ledger {@code harvest verify} keeps: for every ID, how often the input asks for it and how
 * often the results (as blocks of rows) and the failed file hold it. Inputs may repeat an ID, so
 * the comparison is by count, not by set. Memory is about 150 bytes per distinct ID.
 */
final class IdTally {
    /** Counts for one ID; mutable, owned by the tally. */
    static final class Count {
        final long firstLine;
        int expected;
        int results;
        int failed;

        Count(long firstLine) {
            this.firstLine = firstLine;
        }
    }

    private final Map<String, Count> ids = new LinkedHashMap<>();
    private final Map<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);
    private long lines;

    /** One input line: an ID (or invalid line, which belongs in the failed file) or a skipped line. */
    void input(InputLine line) {
        lines++;
        switch (line) {
            case InputLine.Id id -> expect(id.id(), id.number());
            case InputLine.Invalid bad -> expect(bad.id(), bad.number());
            case InputLine.Skipped s -> skipped.merge(s.reason(), 1L, Long::sum);
        }
    }

    private void expect(String id, long number) {
        ids.computeIfAbsent(id, k -> new Count(number)).expected++;
    }

    /** One block of result rows for this ID. */
    void result(String id) {
        ids.computeIfAbsent(id, k -> new Count(-1)).results++;
    }

    /** One failed-file row for this ID. */
    void failed(String id) {
        ids.computeIfAbsent(id, k -> new Count(-1)).failed++;
    }

    /** Every ID seen, in input order, then IDs only the outputs hold. */
    Map<String, Count> ids() {
        return ids;
    }

    long lines() {
        return lines;
    }

    long skipped() {
        return skipped.values().stream().mapToLong(Long::longValue).sum();
    }

    Map<SkipReason, Long> skippedByReason() {
        return skipped;
    }
}
