package dev.harvest.pipeline;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A fixed {@code --concurrency} that backs off when the server throttles: a 429/503 halves it (at
 * most once every {@value #SPACING_MILLIS} ms: the throttles of requests already in flight must
 * not halve it again and again), and it grows back by one after an eighth of the limit in
 * successes, up to the configured value (from 1 back to 64 in about 250 successes). Timeouts leave
 * it alone. Not thread-safe: the caller ({@link FlowControl}) holds its lock.
 */
final class HalvingLimit implements ConcurrencyLimit {
    private static final Logger LOG = LogManager.getLogger(HalvingLimit.class);
    static final long SPACING_MILLIS = 1000;
    private static final long SPACING_NANOS = SPACING_MILLIS * 1_000_000;

    private final int max;
    private int limit;
    private int successesSinceGrowth;
    private long lastHalving;

    /**
     * @param max the configured {@code --concurrency} (at least 1)
     * @param now the clock's reading at the start
     */
    HalvingLimit(int max, long now) {
        this.max = Math.max(1, max);
        this.limit = this.max;
        this.lastHalving = now - SPACING_NANOS;
    }

    @Override
    public int limit() {
        return limit;
    }

    @Override
    public void succeeded(long latencyNanos, int inFlight, long now) {
        if (limit < max && ++successesSinceGrowth >= Math.max(1, limit / 8)) {
            successesSinceGrowth = 0;
            limit++;
        }
    }

    @Override
    public void dropped(long latencyNanos, int inFlight, long now) {
        if (now - lastHalving >= SPACING_NANOS && limit > 1) {
            int halved = Math.max(1, limit / 2);
            LOG.warn("server throttled a request: concurrency {} -> {}", limit, halved);
            limit = halved;
            successesSinceGrowth = 0;
            lastHalving = now;
        }
    }

    @Override
    public void timedOut(long latencyNanos, int inFlight, long now) {
        // A timeout is no throttle: the fixed limit waits for the server to say so.
    }

    @Override
    public double latencyFloorMillis() {
        return Double.NaN;
    }
}
