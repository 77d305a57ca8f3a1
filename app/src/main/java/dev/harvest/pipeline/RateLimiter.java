package dev.harvest.pipeline;

/**
 * Spaces request starts: {@code --rate} and the {@link Pacer}'s pace, whichever is slower. Each
 * start reserves the next slot; an idle job starts at once but banks no burst (a slot in the past
 * is the present). Not thread-safe: the caller ({@link FlowControl}) holds its lock.
 */
final class RateLimiter {
    private final long intervalNanos;
    private long nextStart;

    /**
     * @param perSecond --rate, 0 for none
     * @param now       the clock's reading at the start
     */
    RateLimiter(double perSecond, long now) {
        this.intervalNanos = perSecond > 0 ? (long) (1e9 / perSecond) : 0;
        this.nextStart = now;
    }

    /** Whether --rate spaces starts (without it, a start reserved when not pacing is always "now"). */
    boolean spaces() {
        return intervalNanos > 0;
    }

    /**
     * Reserves a start.
     *
     * @param now         the clock
     * @param pacedNanos  the pacer's spacing, 0 when not pacing
     * @return when the request may start (now, or a slot ahead)
     */
    long reserve(long now, long pacedNanos) {
        long interval = Math.max(intervalNanos, pacedNanos);
        long slot = interval == 0 || nextStart - now <= 0 ? now : nextStart;
        nextStart = slot + interval;
        return slot;
    }
}
