package dev.harvest.report;

/**
 * Latency percentiles in fixed memory: log-linear buckets (16 per power of two, about 4%
 * precision) from 1 microsecond to over an hour. Single writer; readers take snapshots.
 */
public final class LatencyHistogram {
    private static final int SUB = 16;
    private static final int POWERS = 33;
    private final long[] counts = new long[POWERS * SUB];
    private long total;

    /** Records one latency. */
    public void record(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        int power = 63 - Long.numberOfLeadingZeros(micros);
        int index;
        if (power < 4) {
            index = (int) micros;
        } else {
            int sub = (int) ((micros >>> (power - 4)) & (SUB - 1));
            index = Math.min(counts.length - 1, (power - 3) * SUB + sub);
        }
        counts[index]++;
        total++;
    }

    /** How many latencies were recorded. */
    public long count() {
        return total;
    }

    /** The latency at quantile q (0..1) in milliseconds, or 0 when nothing was recorded. */
    public double percentileMillis(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return upperMicros(i) / 1000.0;
            }
        }
        return upperMicros(counts.length - 1) / 1000.0;
    }

    private static long upperMicros(int index) {
        if (index < SUB) {
            return index;
        }
        int power = index / SUB + 3;
        int sub = index % SUB;
        return ((long) (SUB + sub + 1)) << (power - 4);
    }
}
