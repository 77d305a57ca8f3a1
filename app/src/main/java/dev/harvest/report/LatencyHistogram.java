package dev.harvest.report;

/**
 * Latency percentiles in fixed memory: log-linear buckets (16 per power of two, about 4%
 * precision) from 1 microsecond to over an hour. Single writer; readers take snapshots. The bucket
 * arithmetic is shared with {@link RecentOutcomes}, which keeps only a bucket number per outcome.
 */
public final class LatencyHistogram {
    private static final int SUB = 16;
    private static final int POWERS = 33;
    /** How many buckets there are; bucket numbers run from 0 to {@code BUCKETS - 1}. */
    static final int BUCKETS = POWERS * SUB;
    private final long[] counts = new long[BUCKETS];
    private long total;
    private long sumNanos;

    /** Records one latency. */
    public void record(long nanos) {
        counts[bucket(nanos)]++;
        total++;
        sumNanos += nanos;
    }

    /**
     * The latencies at or below each bound, for a Prometheus histogram's {@code le} buckets. A fine
     * bucket counts under the first bound its upper edge does not pass, so a count may lean about
     * 4% (one fine bucket's width) towards the larger bound.
     *
     * @param upperSeconds the bucket bounds, ascending
     */
    public Buckets buckets(double[] upperSeconds) {
        long[] cumulative = new long[upperSeconds.length];
        int fine = 0;
        long seen = 0;
        for (int b = 0; b < upperSeconds.length; b++) {
            double upperMicros = upperSeconds[b] * 1e6;
            while (fine < BUCKETS && upperMicros(fine) <= upperMicros) {
                seen += counts[fine++];
            }
            cumulative[b] = seen;
        }
        return new Buckets(upperSeconds.clone(), cumulative, total, sumNanos / 1e9);
    }

    /**
     * A histogram snapshot in Prometheus form.
     *
     * @param upperSeconds the {@code le} bounds (without +Inf)
     * @param cumulative   latencies at or below each bound
     * @param count        all latencies (the +Inf bucket)
     * @param sumSeconds   their sum
     */
    public record Buckets(double[] upperSeconds, long[] cumulative, long count, double sumSeconds) {
    }

    /** How many latencies were recorded. */
    public long count() {
        return total;
    }

    /** The latency at quantile q (0..1) in milliseconds, or 0 when nothing was recorded. */
    public double percentileMillis(double q) {
        return percentileMillis(counts, total, q);
    }

    /** The bucket a latency falls in. */
    static int bucket(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        int power = 63 - Long.numberOfLeadingZeros(micros);
        if (power < 4) {
            return (int) micros;
        }
        int sub = (int) ((micros >>> (power - 4)) & (SUB - 1));
        return Math.min(BUCKETS - 1, (power - 3) * SUB + sub);
    }

    /** The quantile q of bucket counts, as the upper bound of its bucket in milliseconds. */
    static double percentileMillis(long[] counts, long total, double q) {
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
