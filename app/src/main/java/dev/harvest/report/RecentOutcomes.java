package dev.harvest.report;

import dev.harvest.fetch.FailureReason;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The most recent outcomes in a fixed ring, so the last minute's speed, errors and latency can be
 * told apart from the whole run's even in hour 5. Each outcome is one packed {@code long} (finish
 * time, latency bucket, outcome code): recording allocates nothing and a reader never sees half an
 * outcome. One writer (the store thread, through {@link RunStats}); any thread may read.
 */
public final class RecentOutcomes {
    /** Outcomes kept; a power of two. At a few thousand requests a second this still spans about a second. */
    static final int CAPACITY = 8192;
    /** The longest span a window covers. */
    static final long WINDOW_NANOS = 60_000_000_000L;

    private static final int CODE_BITS = 8;
    private static final int BUCKET_BITS = 10;
    private static final int NO_LATENCY = (1 << BUCKET_BITS) - 1;
    private static final int OK = 0;

    private final long origin;
    private final AtomicLongArray slots = new AtomicLongArray(CAPACITY);
    private final AtomicLong written = new AtomicLong();

    /** @param originNanos the run's start ({@link System#nanoTime()}); times are kept relative to it */
    public RecentOutcomes(long originNanos) {
        this.origin = originNanos;
    }

    /** Store thread: one ID succeeded. */
    void ok(long nowNanos, long latencyNanos) {
        put(nowNanos, OK, latencyNanos);
    }

    /** Store thread: one ID failed. */
    void failed(long nowNanos, FailureReason reason, long latencyNanos) {
        put(nowNanos, 1 + reason.ordinal(), latencyNanos);
    }

    private void put(long nowNanos, int code, long latencyNanos) {
        long millis = Math.max(0, (nowNanos - origin) / 1_000_000);
        int bucket = latencyNanos > 0 ? LatencyHistogram.bucket(latencyNanos) : NO_LATENCY;
        long packed = millis << (BUCKET_BITS + CODE_BITS) | (long) bucket << CODE_BITS | code;
        long n = written.get();
        slots.setRelease((int) (n & (CAPACITY - 1)), packed);
        written.setRelease(n + 1);
    }

    /**
     * The window ending now: the outcomes of the last {@link #WINDOW_NANOS}, or fewer when more
     * than {@link #CAPACITY} finished in that time (then the window is as long as they took).
     */
    public RecentWindow window(long nowNanos) {
        long nowMillis = Math.max(0, (nowNanos - origin) / 1_000_000);
        long cutoff = nowMillis - WINDOW_NANOS / 1_000_000;
        long end = written.getAcquire();
        long start = Math.max(0, end - CAPACITY);
        long[] latency = new long[LatencyHistogram.BUCKETS];
        long[] failures = new long[FailureReason.values().length];
        long outcomes = 0;
        long measured = 0;
        long oldest = nowMillis;
        boolean full = false;
        for (long s = end - 1; s >= start; s--) {
            long v = slots.getAcquire((int) (s & (CAPACITY - 1)));
            long millis = v >>> (BUCKET_BITS + CODE_BITS);
            // A slot the writer lapped meanwhile holds a newer outcome: still recent, so it counts.
            if (millis < cutoff) {
                break;
            }
            outcomes++;
            oldest = Math.min(oldest, millis);
            int code = (int) (v & ((1 << CODE_BITS) - 1));
            int bucket = (int) ((v >>> CODE_BITS) & ((1 << BUCKET_BITS) - 1));
            if (code != OK) {
                failures[code - 1]++;
            }
            if (bucket != NO_LATENCY) {
                latency[bucket]++;
                measured++;
            }
            full = s == start && start > 0;
        }
        long spanMillis = full ? nowMillis - oldest : Math.min(nowMillis, WINDOW_NANOS / 1_000_000);
        return RecentWindow.of(outcomes, Math.max(spanMillis, 1) / 1000.0, failures,
                LatencyHistogram.percentileMillis(latency, measured, 0.50),
                LatencyHistogram.percentileMillis(latency, measured, 0.99));
    }
}
