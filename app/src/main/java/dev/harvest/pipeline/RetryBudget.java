package dev.harvest.pipeline;

/**
 * The job's retry budget: a token bucket that paces retries when the server is failing, and never
 * refuses one. Each attempt deposits {@code ratio} of a token; a retry takes a whole token, and a
 * retry that the server then answers gives its token back (it was work the job needed anyway, not
 * extra load). The bucket also refills by {@value #MIN_PER_SECOND} tokens a second, so the retries
 * left when no first attempts remain (the end of the input) still go on. So while the server
 * fails, failing retries are at most {@code ratio} of the attempts plus
 * {@value #MIN_PER_SECOND} a second; a retry that finds the bucket empty waits for a token, it
 * does not give up. Not thread-safe: the caller ({@link FlowControl}) holds its lock. Times are
 * {@link System#nanoTime()} values passed in, so tests can drive the clock.
 */
final class RetryBudget {
    /** Tokens at the start, and the least the bucket holds room for. */
    static final double MIN_TOKENS = 10;
    /** Refill by time, in tokens a second. */
    static final double MIN_PER_SECOND = 10;

    private final double ratio;
    private final double maxTokens;
    private double tokens = MIN_TOKENS;
    private long refilledAt;

    /**
     * @param ratio       tokens each attempt deposits (--retry-budget)
     * @param concurrency --concurrency: the bucket holds ten rounds' worth of deposits
     * @param now         the clock's reading at the start
     */
    RetryBudget(double ratio, int concurrency, long now) {
        this.ratio = ratio;
        this.maxTokens = MIN_TOKENS + ratio * concurrency * 10;
        this.refilledAt = now;
    }

    /** One attempt was made: deposit its share. */
    void deposit() {
        add(ratio);
    }

    /** A retry was answered: give its token back. */
    void refund() {
        add(1);
    }

    /** Takes a token for a retry when there is one. */
    boolean tryTake(long now) {
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            add(elapsed / 1e9 * MIN_PER_SECOND);
            refilledAt = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Tokens now (for tests). */
    double tokens() {
        return tokens;
    }

    private void add(double n) {
        tokens = Math.min(maxTokens, tokens + n);
    }
}
