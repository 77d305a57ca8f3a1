package dev.harvest.pipeline;

import dev.harvest.config.JobConfig;
import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.Gate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * All of the job's shared flow state, in one place: the concurrency permits (which shrink when the
 * server throttles and grow back gradually), a global pause when the server throttles a large
 * share of recent requests, the request-rate limit, the retry budget and the two circuit breakers
 * (consecutive connection failures, and a failure ratio over a window of recent attempts).
 *
 * <p>Why a share and not every 429: a job-wide pause for each 429's {@code Retry-After} let a
 * server that throttled a random 5% of requests with {@code Retry-After: 1} stop the job nearly
 * all the time (2,000 IDs took 90 s). A sprinkled 429 now halves concurrency (at most once a
 * second) and delays only its own ID's retry; a server that throttles a quarter of the last
 * {@value #THROTTLE_WINDOW} responses is saturated, and then the whole job pauses.
 */
final class FlowControl implements Gate {
    private static final Logger LOG = LogManager.getLogger(FlowControl.class);
    private static final long SHRINK_SPACING_NANOS = 1_000_000_000L;
    private static final double MIN_RETRY_TOKENS = 10;
    private static final long SLICE_NANOS = 100_000_000L;
    static final int THROTTLE_WINDOW = 100;
    static final double THROTTLE_PAUSE_SHARE = 0.25;

    private final int maxConcurrency;
    private final ResizableSemaphore permits;
    private final long rateIntervalNanos;
    private final double retryRatio;
    private final double maxRetryTokens;
    private final int circuitFailures;
    private final FailureWindow window;
    private final double circuitRatio;
    private final Duration defaultPause;
    private final Duration maxPause;
    private final FailureWindow throttles = new FailureWindow(THROTTLE_WINDOW);

    private int limit;
    private int successesSinceGrowth;
    private long lastShrink;
    private long nextStart;
    private double retryTokens = MIN_RETRY_TOKENS;
    private int consecutiveConnectFailures;
    private volatile long pausedUntil;
    private volatile String closedBecause;
    private volatile boolean aborted;
    private final AtomicLong retriesGranted = new AtomicLong();

    FlowControl(JobConfig job) {
        this.maxConcurrency = job.concurrencyInFlight();
        this.permits = new ResizableSemaphore(maxConcurrency);
        this.limit = maxConcurrency;
        this.rateIntervalNanos = job.rate() > 0 ? (long) (1e9 / job.rate()) : 0;
        this.retryRatio = job.retryBudget();
        this.maxRetryTokens = MIN_RETRY_TOKENS + job.retryBudget() * job.concurrency() * 10;
        this.circuitFailures = job.circuitFailures();
        this.window = job.circuitWindow() > 0 ? new FailureWindow(job.circuitWindow()) : null;
        this.circuitRatio = job.circuitRatio();
        this.defaultPause = job.backoff();
        this.maxPause = job.maxRetryWait();
        this.pausedUntil = System.nanoTime(); // nanoTime may be negative: compare differences only
    }

    /** Owner: waits for a permit; false when the job closed while waiting. */
    boolean acquire() throws InterruptedException {
        while (closedBecause == null) {
            if (permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /** Subtask: gives its permit back. */
    void release() {
        permits.release();
    }

    @Override
    public void awaitTurn() throws InterruptedException {
        long now;
        long pause;
        while ((pause = pausedUntil - System.nanoTime()) > 0 && closedBecause == null) {
            TimeUnit.NANOSECONDS.sleep(Math.min(pause, SLICE_NANOS));
        }
        if (rateIntervalNanos > 0) {
            long slot;
            synchronized (this) {
                now = System.nanoTime();
                slot = Math.max(now, nextStart);
                nextStart = slot + rateIntervalNanos;
            }
            // In slices: a stop must not wait for slots reserved far ahead at a low --rate.
            long wait;
            while ((wait = slot - System.nanoTime()) > 0 && closedBecause == null) {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, SLICE_NANOS));
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public void record(Signal signal, FailureReason failure, Duration retryAfter) {
        synchronized (this) {
            retryTokens = Math.min(maxRetryTokens, retryTokens + retryRatio);
            // A 429 is the server pacing the job, not failing: the throttle answers it, the window ignores it.
            if (window != null && !(signal == Signal.THROTTLED && failure == null)) {
                window.add(failure);
                if (window.tripped(circuitRatio)) {
                    abort("endpoint failing: " + window.describe());
                }
            }
            throttles.add(signal == Signal.THROTTLED ? (failure != null ? failure : FailureReason.forStatus(429)) : null);
            switch (signal) {
                case OK -> {
                    consecutiveConnectFailures = 0;
                    grow();
                }
                case THROTTLED -> {
                    consecutiveConnectFailures = 0;
                    throttled(retryAfter);
                }
                case CONNECT_FAILED -> {
                    consecutiveConnectFailures++;
                    if (circuitFailures > 0 && consecutiveConnectFailures >= circuitFailures) {
                        abort("endpoint unreachable: " + consecutiveConnectFailures + " consecutive connection failures");
                    }
                }
                case FAILED -> {
                    // Transient failure with a response or a timeout: neither resets nor trips the circuit.
                }
            }
        }
    }

    /**
     * Additive increase: one more permit after an eighth of a window of successes, up to
     * --concurrency (from 1 back to 64 in about 250 successes).
     */
    private void grow() {
        if (limit < maxConcurrency && ++successesSinceGrowth >= Math.max(1, limit / 8)) {
            successesSinceGrowth = 0;
            limit++;
            permits.release();
        }
    }

    /**
     * Multiplicative decrease (at most once a second), and a job-wide pause (for the server's
     * {@code Retry-After}, else --backoff, capped by --max-retry-wait) once throttles are a large
     * share of recent responses.
     */
    private void throttled(Duration retryAfter) {
        long now = System.nanoTime();
        if (throttles.tripped(THROTTLE_PAUSE_SHARE)) {
            Duration pause = retryAfter != null ? retryAfter : defaultPause;
            if (pause.compareTo(maxPause) > 0) {
                pause = maxPause;
            }
            long until = now + pause.toNanos();
            if (pausedUntil - now <= 0) {
                LOG.warn("server is throttling ({}): all requests paused for {} ms",
                        throttles.describe().replace(" failed ", " throttled "), pause.toMillis());
            }
            if (until - pausedUntil > 0) {
                pausedUntil = until;
            }
        }
        if (now - lastShrink >= SHRINK_SPACING_NANOS && limit > 1) {
            int newLimit = Math.max(1, limit / 2);
            permits.shrink(limit - newLimit);
            LOG.warn("server throttled a request: concurrency {} -> {}", limit, newLimit);
            limit = newLimit;
            successesSinceGrowth = 0;
            lastShrink = now;
        }
    }

    @Override
    public boolean awaitRetry(Duration wait) throws InterruptedException {
        permits.release();
        try {
            long end = System.nanoTime() + wait.toNanos();
            long left;
            // In slices: a stop or an open circuit must not wait for a long Retry-After.
            while ((left = end - System.nanoTime()) > 0 && closedBecause == null) {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, SLICE_NANOS));
            }
            if (closedBecause != null) {
                permits.shrink(1); // balances the subtask's final release(), as below
                return false;
            }
            permits.acquire();
            return true;
        } catch (InterruptedException e) {
            // The subtask's final release() gives back a slot it no longer holds: owe it instead.
            permits.shrink(1);
            throw e;
        }
    }

    @Override
    public synchronized boolean tryRetry() {
        if (retryTokens >= 1) {
            retryTokens -= 1;
            retriesGranted.incrementAndGet();
            return true;
        }
        return false;
    }

    @Override
    public boolean isClosed() {
        return closedBecause != null;
    }

    /** Stops starting requests because the run cannot go on; the run ends with exit 3. */
    @Override
    public synchronized void abort(String cause) {
        if (closedBecause == null) {
            closedBecause = cause;
            aborted = true;
            LOG.error("aborting: {}", cause);
        }
    }

    /** Stops starting requests because a stop was asked for. */
    void stop(String why) {
        if (closedBecause == null) {
            closedBecause = why;
        }
    }

    boolean aborted() {
        return aborted;
    }

    String closedBecause() {
        return closedBecause;
    }

    /** Retries granted so far (for progress). */
    long retriesGranted() {
        return retriesGranted.get();
    }

    /** The current concurrency limit (for progress). */
    synchronized int limit() {
        return limit;
    }

    /** Unused permits; in flight = limit - available (for progress). */
    int available() {
        return permits.availablePermits();
    }
}
