package dev.harvest.pipeline;

/**
 * Paces request starts to what a throttling server accepts. A server behind a rate limiter answers
 * the excess with 429; halving concurrency alone does not find its rate (with fast answers even one
 * request in flight can exceed it) and a job-wide pause only meets it on average, in bursts. So the
 * pacer measures, over periods of at least {@value #PERIOD_MILLIS} ms, how many responses were
 * accepted (not throttled) a second, and:
 * <ul>
 *   <li>starts pacing when {@value #ENTER_SHARE} or more of a period's responses were throttled,
 *       at a little under the accepted rate;</li>
 *   <li>while pacing, comes down to a little under the accepted rate after a period with throttles,
 *       and probes {@value #PROBE}× higher after a period without any (the limit may have risen);</li>
 *   <li>stops pacing when the pace no longer limits the job, when the server throttled everything
 *       (the job-wide pause answers that) or when coming down {@value #MAX_FRUITLESS} times in a row
 *       did not make throttles rarer: throttles sprinkled at random are not a rate limit, and pacing
 *       would only slow the job down.</li>
 * </ul>
 * Not thread-safe: its caller ({@link ThrottlePause}) runs under {@link FlowControl}'s lock. Times are {@link System#nanoTime()}
 * values passed in, so tests can drive the clock.
 */
final class Pacer {
    static final long PERIOD_MILLIS = 500;
    static final double ENTER_SHARE = 0.25;
    static final double PROBE = 1.2;
    /** Pace at this share of the accepted rate: a little under the limit, so its bucket can refill. */
    static final double UNDER = 0.95;
    static final double MIN_RATE = 1;
    private static final long PERIOD_NANOS = PERIOD_MILLIS * 1_000_000;
    /** A period ends after this many responses at the earliest, or after this many periods of time. */
    private static final int MIN_RESPONSES = 20;
    private static final int MAX_PERIODS = 10;

    private double rate; // requests a second; 0 = not pacing
    private long periodStart;
    private int starts;
    private int accepted;
    private int throttled;
    private double lastDecreaseShare;
    private int fruitlessDecreases;
    /** Coming down this many times in a row without making throttles rarer stops pacing. */
    private static final int MAX_FRUITLESS = 3;

    Pacer(long now) {
        this.periodStart = now;
    }

    /** Whether requests are being paced. */
    boolean pacing() {
        return rate > 0;
    }

    /** The pace in requests a second, 0 when not pacing. */
    double rate() {
        return rate;
    }

    /** The spacing of request starts, 0 when not pacing. */
    long intervalNanos() {
        return rate > 0 ? (long) (1e9 / rate) : 0;
    }

    /** A request started. */
    void started() {
        starts++;
    }

    /**
     * One response: throttled (429, 503) or accepted (anything else).
     *
     * @return true when the pace changed (started, moved or stopped)
     */
    boolean response(boolean throttle, long now) {
        if (throttle) {
            throttled++;
        } else {
            accepted++;
        }
        long active = now - periodStart;
        int responses = accepted + throttled;
        if (active < PERIOD_NANOS || responses < MIN_RESPONSES && active < MAX_PERIODS * PERIOD_NANOS) {
            return false;
        }
        double seconds = active / 1e9;
        double share = (double) throttled / responses;
        double acceptedRate = accepted / seconds;
        double startRate = starts / seconds;
        double before = rate;
        if (!pacing()) {
            if (share >= ENTER_SHARE && accepted > 0) {
                rate = Math.max(MIN_RATE, UNDER * acceptedRate);
                lastDecreaseShare = share;
            }
        } else if (throttled == 0) {
            lastDecreaseShare = 0;
            fruitlessDecreases = 0;
            rate = rate > 2 * startRate ? 0 : rate * PROBE;
        } else if (accepted == 0) {
            stop();
        } else if (throttled >= 2) {
            boolean fruitless = lastDecreaseShare > 0 && share >= 0.8 * lastDecreaseShare;
            fruitlessDecreases = fruitless ? fruitlessDecreases + 1 : 0;
            if (fruitlessDecreases >= MAX_FRUITLESS) {
                stop();
            } else {
                rate = Math.max(MIN_RATE, UNDER * acceptedRate);
                lastDecreaseShare = share;
            }
        }
        restart(now);
        return rate != before;
    }

    private void stop() {
        rate = 0;
        lastDecreaseShare = 0;
        fruitlessDecreases = 0;
    }

    /**
     * Starts pacing now (the job is about to pause because the server throttles a large share):
     * at a little under the rate accepted so far in this period, counted over a whole period at
     * least (a burst the server allowed at the start is no rate). Does nothing when already pacing
     * or when nothing was accepted.
     */
    void enter(long now) {
        long active = Math.max(now - periodStart, PERIOD_NANOS);
        if (!pacing() && accepted > 0) {
            rate = Math.max(MIN_RATE, UNDER * accepted / (active / 1e9));
            lastDecreaseShare = (double) throttled / (accepted + throttled);
        }
    }

    /** Begins a new measuring period at {@code at} (e.g. the end of a job-wide pause). */
    void restart(long at) {
        periodStart = at;
        starts = 0;
        accepted = 0;
        throttled = 0;
    }
}
