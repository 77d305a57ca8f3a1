package dev.harvest.report;

import dev.harvest.fetch.FailureReason;
import dev.harvest.read.SkipReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The run's counters. Outcome counters are written by the store stage only, line counters by the
 * reading owner thread only; all are atomics so a progress reporter can read them at any time.
 * Each outcome also goes into a ring of {@link RecentOutcomes} for the recent-window figures.
 */
public final class RunStats {
    private final AtomicLong linesRead = new AtomicLong();
    private final AtomicLong inputBytes = new AtomicLong();
    private final AtomicLongArray skipped = new AtomicLongArray(SkipReason.values().length);
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong okEmpty = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLongArray failed = new AtomicLongArray(FailureReason.values().length);
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong doneBefore = new AtomicLong();
    // Counts by HTTP status, guarded by this. Real statuses index an array: a map would box the
    // key and the count for every outcome. Anything outside 100-599 goes to the map.
    private final long[] statusCounts = new long[600];
    private final Map<Integer, Long> otherStatuses = new TreeMap<>();
    private final LatencyHistogram latency = new LatencyHistogram();
    private final RecentOutcomes recent = new RecentOutcomes(System.nanoTime());

    /**
     * Owner thread: one more input line was read.
     *
     * @param bytesRead the input's byte offset after it, for progress
     */
    public void lineRead(long bytesRead) {
        linesRead.incrementAndGet();
        inputBytes.setRelease(bytesRead);
    }

    public void skipped(SkipReason reason) {
        skipped.incrementAndGet(reason.ordinal());
    }

    /**
     * Store stage: one ID succeeded.
     *
     * @param rowCount     output rows written for it
     * @param latencyNanos its last attempt's latency, from its outcome (0 when none was measured)
     */
    public void ok(int rowCount, long latencyNanos) {
        ok.incrementAndGet();
        rows.addAndGet(rowCount);
        if (rowCount == 0) {
            okEmpty.incrementAndGet();
        }
        recent.ok(System.nanoTime(), latencyNanos);
    }

    /**
     * Store stage: one ID succeeded with a 304 to a conditional request (counted in {@link #ok()} too).
     *
     * @param rowCount     rows written for it: 1 for a kept download, 0 for an unchanged feed
     * @param latencyNanos its last attempt's latency, from its outcome
     */
    public void unchanged(int rowCount, long latencyNanos) {
        unchanged.incrementAndGet();
        ok(rowCount, latencyNanos);
    }

    /**
     * Store stage: one ID failed.
     *
     * @param latencyNanos its last attempt's latency, from its outcome (0 when it was never fetched)
     */
    public void failed(FailureReason reason, long latencyNanos) {
        failed.incrementAndGet(reason.ordinal());
        recent.failed(System.nanoTime(), reason, latencyNanos);
    }

    /** Store stage: one ID's work stopped without an outcome. */
    public void abandonedOne() {
        abandoned.incrementAndGet();
    }

    /** Store stage: what one exchange cost. */
    public synchronized void exchange(int status, int attempts, long bytes, long latencyNanos) {
        if (status >= 100 && status < statusCounts.length) {
            statusCounts[status]++;
        } else if (status > 0) {
            otherStatuses.merge(status, 1L, Long::sum);
        }
        retries.addAndGet(Math.max(0, attempts - 1));
        bodyBytes.addAndGet(bytes);
        if (latencyNanos > 0) {
            latency.record(latencyNanos);
        }
    }

    /**
     * The counts now, as one immutable snapshot. Each counter is read once; a counter the store
     * thread moves meanwhile may be a step ahead of another, but the snapshot never changes after.
     */
    public RunCounts snapshot() {
        return new RunCounts(linesRead(), ok(), rows(), okEmpty(), unchanged(), failedByReason(), skippedByReason(),
                abandoned(), doneBeforeLines());
    }

    /**
     * Store stage: sets the outcome counts (ok, rows, failed, unchanged, ok without records) to what
     * the files hold; the other counts are left alone. On a resume, the interrupted run's checkpoint
     * (its lines are then not counted again as they are read); after a write failure cut the files
     * back, the last checkpoint, the lines dropped becoming unfinished.
     *
     * @param rolledBack lines whose outcome was dropped from the files (0 on a resume)
     */
    public void restore(RunCounts counts, long rolledBack) {
        ok.set(counts.ok());
        rows.set(counts.rows());
        unchanged.set(counts.unchanged());
        okEmpty.set(counts.okEmpty());
        for (FailureReason r : FailureReason.values()) {
            failed.set(r.ordinal(), counts.failed().getOrDefault(r, 0L));
        }
        abandoned.addAndGet(rolledBack);
    }

    /** Owner thread: a line the resumed run had finished (its outcome is in the restored counts). */
    public void doneBefore() {
        doneBefore.incrementAndGet();
    }

    /** Lines the resumed run had finished, read again and passed over (counted in ok and failed). */
    public long doneBeforeLines() {
        return doneBefore.get();
    }

    public long linesRead() {
        return linesRead.get();
    }

    /** The input's byte offset after the last line read. */
    public long inputBytesRead() {
        return inputBytes.getAcquire();
    }

    /** The most recent outcomes' figures, as of {@code nowNanos} ({@link System#nanoTime()}). */
    public RecentWindow recent(long nowNanos) {
        return recent.window(nowNanos);
    }

    public long ok() {
        return ok.get();
    }

    public long okEmpty() {
        return okEmpty.get();
    }

    /** IDs answered 304 Not Modified (included in {@link #ok()}). */
    public long unchanged() {
        return unchanged.get();
    }

    public long rows() {
        return rows.get();
    }

    public long retries() {
        return retries.get();
    }

    public long bodyBytes() {
        return bodyBytes.get();
    }

    public long abandoned() {
        return abandoned.get();
    }

    public long failedTotal() {
        long n = 0;
        for (int i = 0; i < failed.length(); i++) {
            n += failed.get(i);
        }
        return n;
    }

    public Map<FailureReason, Long> failedByReason() {
        Map<FailureReason, Long> m = new EnumMap<>(FailureReason.class);
        for (FailureReason r : FailureReason.values()) {
            long n = failed.get(r.ordinal());
            if (n > 0) {
                m.put(r, n);
            }
        }
        return m;
    }

    public long skippedTotal() {
        long n = 0;
        for (int i = 0; i < skipped.length(); i++) {
            n += skipped.get(i);
        }
        return n;
    }

    public Map<SkipReason, Long> skippedByReason() {
        Map<SkipReason, Long> m = new EnumMap<>(SkipReason.class);
        for (SkipReason r : SkipReason.values()) {
            long n = skipped.get(r.ordinal());
            if (n > 0) {
                m.put(r, n);
            }
        }
        return m;
    }

    public synchronized Map<Integer, Long> statuses() {
        Map<Integer, Long> all = new TreeMap<>(otherStatuses);
        for (int status = 100; status < statusCounts.length; status++) {
            if (statusCounts[status] > 0) {
                all.put(status, statusCounts[status]);
            }
        }
        return all;
    }

    public synchronized double latencyMillis(double q) {
        return latency.percentileMillis(q);
    }

    /** This process's latencies counted under each bound, for the metrics file's histogram. */
    public synchronized LatencyHistogram.Buckets latencyBuckets(double[] upperSeconds) {
        return latency.buckets(upperSeconds);
    }

    /** Requests whose latency was measured in this process (not carried over on resume). */
    public synchronized long measuredRequests() {
        return latency.count();
    }
}
