package dev.harvest.report;

import dev.harvest.fetch.FailureReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the most recent outcomes say (see {@link RecentOutcomes}): how fast IDs finish now, which
 * errors they end in, and how long their last request took.
 *
 * @param outcomes          IDs finished in the window
 * @param seconds           the window's length
 * @param failuresByReason  failed IDs in the window, by reason (reasons with none left out)
 * @param p50Millis         median latency of the window's last attempts
 * @param p99Millis         99th percentile of the same
 */
public record RecentWindow(long outcomes, double seconds, Map<FailureReason, Long> failuresByReason,
                           double p50Millis, double p99Millis) {

    public RecentWindow {
        failuresByReason = Collections.unmodifiableMap(new EnumMap<>(failuresByReason.isEmpty()
                ? new EnumMap<>(FailureReason.class) : failuresByReason));
    }

    static RecentWindow of(long outcomes, double seconds, long[] failures, double p50, double p99) {
        Map<FailureReason, Long> byReason = new EnumMap<>(FailureReason.class);
        for (FailureReason r : FailureReason.values()) {
            if (failures[r.ordinal()] > 0) {
                byReason.put(r, failures[r.ordinal()]);
            }
        }
        return new RecentWindow(outcomes, seconds, byReason, p50, p99);
    }

    /** A window with nothing in it. */
    public static RecentWindow empty() {
        return new RecentWindow(0, 0, Map.of(), 0, 0);
    }

    /** IDs finished per second in the window. */
    public double requestsPerSecond() {
        return seconds <= 0 ? 0 : outcomes / seconds;
    }

    /** Share of the window's outcomes that failed, 0 to 1. */
    public double errorRate() {
        long failed = failuresByReason.values().stream().mapToLong(Long::longValue).sum();
        return outcomes == 0 ? 0 : (double) failed / outcomes;
    }

    /** Share of the window's outcomes that failed for this reason, 0 to 1. */
    public double errorRate(FailureReason reason) {
        return outcomes == 0 ? 0 : (double) failuresByReason.getOrDefault(reason, 0L) / outcomes;
    }
}
