package dev.harvest.report;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Takes {@link ProgressSnapshot}s of a running job. It only reads: the counters are atomics and the
 * two suppliers (requests in flight, retries under way) come from the pipeline. It remembers its
 * own recent readings to tell the pace for the ETA, so one instance serves one reporter.
 */
public final class Progress {
    private static final long PACE_WINDOW_NANOS = 60_000_000_000L;

    private final RunStats stats;
    private final long totalBytes;
    private final long startNanos;
    private final LongSupplier inFlight;
    private final LongSupplier retrying;
    private final IntSupplier limit;
    private final DoubleSupplier floorMillis;
    private final ArrayDeque<long[]> pace = new ArrayDeque<>();

    /**
     * @param stats      the run's counters
     * @param totalBytes the input's size, or -1 when unknown
     * @param startNanos when the run started ({@link System#nanoTime()})
     * @param inFlight   requests in flight now
     * @param retrying   retries under way now
     */
    public Progress(RunStats stats, long totalBytes, long startNanos, LongSupplier inFlight, LongSupplier retrying) {
        this(stats, totalBytes, startNanos, inFlight, retrying, () -> 0, () -> Double.NaN);
    }

    /**
     * @param limit       the concurrency limit now
     * @param floorMillis the latency floor {@code --concurrency auto} measured, NaN for a fixed limit
     */
    public Progress(RunStats stats, long totalBytes, long startNanos, LongSupplier inFlight, LongSupplier retrying,
                    IntSupplier limit, DoubleSupplier floorMillis) {
        this.limit = limit;
        this.floorMillis = floorMillis;
        this.stats = stats;
        this.totalBytes = totalBytes;
        this.startNanos = startNanos;
        this.inFlight = inFlight;
        this.retrying = retrying;
        pace.addLast(new long[] {startNanos, 0});
    }

    /** A reading now. */
    public synchronized ProgressSnapshot sample() {
        long now = System.nanoTime();
        long ok = stats.ok();
        long failed = stats.failedTotal();
        long skipped = stats.skippedTotal();
        long done = ok + failed + skipped;
        // The pace is measured over the last minute of readings, so the ETA follows a slowdown.
        pace.addLast(new long[] {now, done});
        while (pace.size() > 2 && now - pace.peekFirst()[0] > PACE_WINDOW_NANOS) {
            pace.removeFirst();
        }
        long[] first = pace.peekFirst();
        double seconds = (now - first[0]) / 1e9;
        // Under two seconds in, the pace is mostly start-up noise: no ETA yet.
        double rate = seconds >= 2 ? (done - first[1]) / seconds : 0;
        return new ProgressSnapshot(Instant.now(), now - startNanos, stats.linesRead(), stats.inputBytesRead(),
                totalBytes, ok, failed, skipped, Math.max(0, retrying.getAsLong()), Math.max(0, inFlight.getAsLong()),
                rate, stats.recent(now), limit.getAsInt(), floorMillis.getAsDouble());
    }
}
