package dev.harvest.report;

import dev.harvest.fetch.FailureReason;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One reading of a run's progress, and the two ways it is shown: the line redrawn on a terminal
 * and the line written to the log. Total and ETA are estimates from the input's byte offset against
 * its size (no counting pass over the input); they are unknown for standard input.
 *
 * @param sampledAt    when the reading was taken
 * @param elapsedNanos time since the run started
 * @param linesRead    input lines read so far
 * @param bytesRead    the input's byte offset
 * @param totalBytes   the input's size, or -1 when unknown
 * @param ok           IDs in the results
 * @param failed       IDs in the failed file
 * @param skipped      lines skipped (header, blank, other shard, not retryable)
 * @param retrying     retry attempts under way (of IDs not finished yet)
 * @param inFlight     requests in flight
 * @param doneRate     lines finished per second lately (for the ETA), 0 when unknown
 * @param recent       the recent window's figures
 * @param concurrencyLimit   the concurrency limit now (it moves with a throttling server, and with auto)
 * @param latencyFloorMillis the latency floor {@code --concurrency auto} measured; NaN for a fixed limit
 */
public record ProgressSnapshot(Instant sampledAt, long elapsedNanos, long linesRead, long bytesRead, long totalBytes,
                               long ok, long failed, long skipped, long retrying, long inFlight, double doneRate,
                               RecentWindow recent, int concurrencyLimit, double latencyFloorMillis) {

    /** A reading without the concurrency limit (a fixed limit, not shown). */
    public ProgressSnapshot(Instant sampledAt, long elapsedNanos, long linesRead, long bytesRead, long totalBytes,
                            long ok, long failed, long skipped, long retrying, long inFlight, double doneRate,
                            RecentWindow recent) {
        this(sampledAt, elapsedNanos, linesRead, bytesRead, totalBytes, ok, failed, skipped, retrying, inFlight, doneRate,
                recent, 0, Double.NaN);
    }

    /** Whether the limit is {@code --concurrency auto}'s (then the progress lines show it and its floor). */
    public boolean autoLimit() {
        return !Double.isNaN(latencyFloorMillis);
    }

    /** Lines finished: in the results, in the failed file or skipped. */
    public long done() {
        return ok + failed + skipped;
    }

    /** When the run started. */
    public Instant startedAt() {
        return sampledAt.minusNanos(elapsedNanos);
    }

    /** Whether the whole input has been read, so {@link #estimatedTotal()} is exact. */
    public boolean totalKnown() {
        return totalBytes >= 0 && bytesRead >= totalBytes;
    }

    /** Lines in the input, extrapolated from the byte offset; -1 when unknown. */
    public long estimatedTotal() {
        if (totalKnown()) {
            return linesRead;
        }
        if (totalBytes <= 0 || bytesRead <= 0 || linesRead == 0) {
            return -1;
        }
        return Math.max(linesRead, Math.round((double) linesRead * totalBytes / bytesRead));
    }

    /** Share done, 0 to 1; -1 when unknown. */
    public double fraction() {
        long total = estimatedTotal();
        if (total < 0) {
            return -1;
        }
        return total == 0 ? 1 : Math.min(1, (double) done() / total);
    }

    /** Seconds until the end at the recent pace; -1 when unknown. */
    public long etaSeconds() {
        long total = estimatedTotal();
        if (total < 0 || doneRate <= 0) {
            return -1;
        }
        return Math.round(Math.max(0, total - done()) / doneRate);
    }

    /**
     * The terminal line, e.g.
     * {@code 41.2%  412,003/~1,000,000  1,523 req/s  ETA 6m24s  ok 410,100  failed 1,850  retrying 12  in flight 64}.
     */
    public String terminalLine() {
        return String.format(Locale.ROOT, "%s  %,.0f req/s  ETA %s  ok %,d  failed %,d  retrying %,d  in flight %,d",
                doneOfTotal(), recent.requestsPerSecond(), eta(), ok, failed, retrying, inFlight)
                + (autoLimit() ? String.format(Locale.ROOT, "  limit %,d (floor %.1f ms)", concurrencyLimit,
                        latencyFloorMillis) : "");
    }

    /**
     * The log line: the terminal line's figures plus the recent window's latency and errors, e.g.
     * {@code progress: 41.2% 412,003/~1,000,000 lines, ETA 6m24s; ok 410,100, failed 1,850, skipped 1,
     * retrying 12, in flight 64; last 60 s: 1,523 req/s, p50 63.5 ms, p99 312.0 ms, errors 1.2% (http_404 1.0%, timeout 0.2%)}.
     */
    public String logLine() {
        StringBuilder sb = new StringBuilder("progress: ");
        sb.append(doneOfTotal().replace("  ", " ")).append(" lines, ETA ").append(eta());
        sb.append(String.format(Locale.ROOT, "; ok %,d, failed %,d, skipped %,d, retrying %,d, in flight %,d",
                ok, failed, skipped, retrying, inFlight));
        if (autoLimit()) {
            sb.append(String.format(Locale.ROOT, ", concurrency limit %,d (latency floor %.1f ms)", concurrencyLimit,
                    latencyFloorMillis));
        }
        sb.append(String.format(Locale.ROOT, "; last %.0f s: %,.0f req/s, p50 %.1f ms, p99 %.1f ms, errors %s",
                recent.seconds(), recent.requestsPerSecond(), recent.p50Millis(), recent.p99Millis(),
                percent(recent.errorRate())));
        if (!recent.failuresByReason().isEmpty()) {
            StringBuilder reasons = new StringBuilder();
            for (Map.Entry<FailureReason, Long> e : recent.failuresByReason().entrySet()) {
                reasons.append(reasons.isEmpty() ? "" : ", ").append(e.getKey().label()).append(' ')
                        .append(percent(recent.errorRate(e.getKey())));
            }
            sb.append(" (").append(reasons).append(')');
        }
        return sb.toString();
    }

    private String doneOfTotal() {
        long total = estimatedTotal();
        if (total < 0) {
            return String.format(Locale.ROOT, "%,d done", done());
        }
        return String.format(Locale.ROOT, "%.1f%%  %,d/%s%,d", fraction() * 100, done(), totalKnown() ? "" : "~", total);
    }

    private String eta() {
        long s = etaSeconds();
        if (s < 0) {
            return "?";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }
}
