package dev.harvest.pipeline;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.Gate;
import dev.harvest.fetch.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * All of the job's shared flow state, in one place: the concurrency permits (which shrink when the
 * server throttles and grow back gradually), the pace a throttling server is found to accept, a
 * global pause when the server throttles a large share of recent requests, the request-rate
 * limit, the retry budget and the two circuit breakers (consecutive connection failures, and a
 * failure ratio over a window of recent attempts).
 *
 * <p>Why a share and not every 429: a job-wide pause for each 429's {@code Retry-After} let a
 * server that throttled a random 5% of requests with {@code Retry-After: 1} stop the job nearly
 * all the time (2,000 IDs took 90 s). A sprinkled 429 now halves concurrency (at most once a
 * second) and delays only its own ID's retry; a server that throttles a quarter of the last
 * {@value #THROTTLE_WINDOW} responses is saturated: the whole job pauses once, and then the
 * {@link Pacer} spaces request starts at the rate the server accepts (pausing again and again
 * instead met a 200 req/s limiter at a third of its rate).
 *
 * <p>With {@code --concurrency auto[:MAX]} the permits follow an {@link AdaptiveLimit} instead:
 * it starts at {@value AdaptiveLimit#INITIAL}, grows while latency stays near its floor and
 * shrinks when latency says requests queue in the server; a 429/503 or a timeout halves it (once a
 * round trip of responses, in place of the once-a-second halving of a fixed limit). The pause,
 * the pacer and {@code --rate} work the same with either.
 *
 * <p>A throttled retry waits as asked and takes nothing from the {@link RetryBudget}; other
 * retries take a token, and wait for one when the budget is dry: the budget paces retries, it
 * never turns an ID with attempts left into a failure.
 */
final class FlowControl implements Gate {
    private static final Logger LOG = LogManager.getLogger(FlowControl.class);
    private static final long SHRINK_SPACING_NANOS = 1_000_000_000L;
    private static final long SLICE_NANOS = 100_000_000L;
    static final int THROTTLE_WINDOW = 100;
    static final double THROTTLE_PAUSE_SHARE = 0.25;

    private final LongSupplier clock;
    private final int maxConcurrency;
    private final ResizableSemaphore permits;
    private final long rateIntervalNanos;
    private final int circuitFailures;
    private final FailureWindow window;
    private final double circuitRatio;
    private final Duration defaultPause;
    private final Duration maxPause;
    private final RetryBudget budget;
    private final Pacer pacer;
    /** The auto limit, or null for a fixed --concurrency. */
    private final AdaptiveLimit adaptive;
    /** Moves of the auto limit are logged at INFO at most this often (DEBUG every time). */
    private final long infoSpacingNanos;
    private long lastInfo;

    private FailureWindow throttles = new FailureWindow(THROTTLE_WINDOW);
    private int limit;
    private int successesSinceGrowth;
    private long lastShrink;
    private long nextStart;
    private int consecutiveConnectFailures;
    private volatile long pausedUntil;
    private volatile String closedBecause;
    private volatile boolean aborted;
    private final AtomicLong retriesGranted = new AtomicLong();

    FlowControl(FlowSettings flow) {
        this(flow, System::nanoTime);
    }

    /** @param clock {@link System#nanoTime()}, or a test's clock */
    FlowControl(FlowSettings flow, LongSupplier clock) {
        this.clock = clock;
        long now = clock.getAsLong();
        this.maxConcurrency = flow.concurrencyInFlight();
        this.adaptive = flow.autoConcurrency() ? new AdaptiveLimit(AdaptiveLimit.INITIAL, maxConcurrency, now, MachineCpu.of()) : null;
        this.limit = adaptive != null ? adaptive.limit() : maxConcurrency;
        this.permits = new ResizableSemaphore(limit);
        this.infoSpacingNanos = nanos(flow.noticeInterval());
        this.lastInfo = now - infoSpacingNanos;
        this.rateIntervalNanos = flow.rate() > 0 ? (long) (1e9 / flow.rate()) : 0;
        this.budget = new RetryBudget(flow.retryBudget(), flow.concurrencyInFlight(), now);
        this.pacer = new Pacer(now);
        this.circuitFailures = flow.circuitFailures();
        this.window = flow.circuitWindow() > 0 ? new FailureWindow(flow.circuitWindow()) : null;
        this.circuitRatio = flow.circuitRatio();
        this.defaultPause = flow.retry().backoff();
        this.maxPause = flow.retry().maxRetryWait();
        this.pausedUntil = now; // nanoTime may be negative: compare differences only
        this.lastShrink = now - SHRINK_SPACING_NANOS;
        this.nextStart = now;
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
        long pause;
        while ((pause = pausedUntil - clock.getAsLong()) > 0 && closedBecause == null) {
            TimeUnit.NANOSECONDS.sleep(Math.min(pause, SLICE_NANOS));
        }
        long slot;
        synchronized (this) {
            pacer.started();
            long interval = Math.max(rateIntervalNanos, pacer.intervalNanos());
            long now = clock.getAsLong();
            slot = interval == 0 || nextStart - now <= 0 ? now : nextStart;
            nextStart = slot + interval;
        }
        // In slices: a stop must not wait for slots reserved far ahead at a low --rate or pace.
        long wait;
        while ((wait = slot - clock.getAsLong()) > 0 && closedBecause == null) {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, SLICE_NANOS));
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    @Override
    public void record(Signal signal, FailureReason failure, Duration retryAfter, boolean retry, long latencyNanos) {
        synchronized (this) {
            long now = clock.getAsLong();
            budget.deposit();
            if (retry && signal == Signal.OK) {
                budget.refund();
            }
            // A 429 is the server pacing the job, not failing: the throttle answers it, the window ignores it.
            if (window != null && !(signal == Signal.THROTTLED && failure == null)) {
                window.add(failure);
                if (window.tripped(circuitRatio)) {
                    abort("endpoint failing: " + window.describe());
                }
            }
            throttles.add(signal == Signal.THROTTLED ? (failure != null ? failure : FailureReason.forStatus(429)) : null);
            boolean wasPacing = pacer.pacing();
            if (signal != Signal.CONNECT_FAILED && pacer.response(signal == Signal.THROTTLED, now)) {
                logPace(wasPacing);
            }
            switch (signal) {
                case OK -> {
                    consecutiveConnectFailures = 0;
                    if (adaptive != null) {
                        adapt(latencyNanos, false, now);
                    } else {
                        grow();
                    }
                }
                case THROTTLED -> {
                    consecutiveConnectFailures = 0;
                    throttled(retryAfter, now);
                    if (adaptive != null) {
                        adapt(latencyNanos, true, now);
                    }
                }
                case CONNECT_FAILED -> {
                    consecutiveConnectFailures++;
                    if (circuitFailures > 0 && consecutiveConnectFailures >= circuitFailures) {
                        abort("endpoint unreachable: " + consecutiveConnectFailures + " consecutive connection failures");
                    }
                }
                case FAILED -> {
                    // Transient failure with a response or a timeout: neither resets nor trips the circuit.
                    // A timeout may be the server's queue: the auto limit backs off.
                    if (adaptive != null && failure == FailureReason.TIMEOUT) {
                        adapt(latencyNanos, true, now);
                    }
                }
            }
        }
    }

    /** Starting and stopping to pace are warnings; the pace's moves while pacing are details. */
    private void logPace(boolean wasPacing) {
        if (!pacer.pacing()) {
            LOG.warn("request starts no longer paced");
        } else if (!wasPacing) {
            LOG.warn("server is throttling: request starts paced at {} a second", Math.round(pacer.rate()));
        } else {
            LOG.debug("request starts paced at {} a second", Math.round(pacer.rate()));
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
     * Multiplicative decrease (at most once a second), and, unless the job is already paced, a
     * job-wide pause (for the server's {@code Retry-After}, else --backoff, capped by
     * --max-retry-wait) once throttles are a large share of recent responses; pacing starts then.
     */
    private void throttled(Duration retryAfter, long now) {
        if (!pacer.pacing() && throttles.tripped(THROTTLE_PAUSE_SHARE)) {
            Duration pause = RetryPolicy.clamp(retryAfter != null ? retryAfter : defaultPause, maxPause);
            long until = now + nanos(pause);
            LOG.warn("server is throttling ({}): all requests paused for {} ms",
                    throttles.describe().replace(" failed ", " throttled "), pause.toMillis());
            if (until - pausedUntil > 0) {
                pausedUntil = until;
            }
            pacer.enter(now);
            pacer.restart(pausedUntil);
            if (pacer.pacing()) {
                logPace(false);
            }
            // Judge the throttling afresh after the pause, not on the responses that caused it.
            throttles = new FailureWindow(THROTTLE_WINDOW);
        }
        if (adaptive == null && now - lastShrink >= SHRINK_SPACING_NANOS && limit > 1) {
            int newLimit = Math.max(1, limit / 2);
            permits.shrink(limit - newLimit);
            LOG.warn("server throttled a request: concurrency {} -> {}", limit, newLimit);
            limit = newLimit;
            successesSinceGrowth = 0;
            lastShrink = now;
        }
    }

    /** One sample for the auto limit; resizes the permits when the limit moves. */
    private void adapt(long latencyNanos, boolean drop, long now) {
        AdaptiveLimit.Move move = adaptive.sample(latencyNanos, drop, limit - permits.availablePermits(), now);
        if (move == null) {
            return;
        }
        if (move.to() > limit) {
            permits.release(move.to() - limit);
        } else {
            permits.shrink(limit - move.to());
        }
        limit = move.to();
        if (now - lastInfo >= infoSpacingNanos) {
            lastInfo = now;
            LOG.info("concurrency limit {} -> {}: {}", move.from(), move.to(), move.why());
        } else {
            LOG.debug("concurrency limit {} -> {}: {}", move.from(), move.to(), move.why());
        }
    }

    /** A duration in nanoseconds, saturating at about 292 years instead of overflowing. */
    private static long nanos(Duration d) {
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : Math.max(0, d.toNanos());
    }

    @Override
    public boolean awaitRetry(Duration wait, boolean spendsBudget) throws InterruptedException {
        retriesGranted.incrementAndGet(); // "retrying" in the progress: waiting to retry, or retrying
        permits.release();
        try {
            long start = clock.getAsLong();
            long total = nanos(wait);
            long left;
            // In slices: a stop or an open circuit must not wait for a long Retry-After.
            while ((left = total - (clock.getAsLong() - start)) > 0 && closedBecause == null) {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, SLICE_NANOS));
            }
            // A dry budget delays the retry, it never drops it: wait for a token.
            while (spendsBudget && closedBecause == null && !takeToken()) {
                TimeUnit.NANOSECONDS.sleep(SLICE_NANOS / 4);
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

    private synchronized boolean takeToken() {
        return budget.tryTake(clock.getAsLong());
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

    /** The latency floor the auto limit measured, in ms; NaN for a fixed limit or before it measured one. */
    synchronized double latencyFloorMillis() {
        return adaptive == null ? Double.NaN : adaptive.floorMillis();
    }

    /** Unused permits; in flight = limit - available (for progress). */
    int available() {
        return permits.availablePermits();
    }
}
