package dev.harvest.pipeline;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.Gate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The job's {@link Gate}: composes the flow policies, each with its own small state, under one
 * lock, and does their waiting. The policies: the {@link ConcurrencyLimit} ({@link HalvingLimit},
 * or {@link AutoLimit} for {@code --concurrency auto}) held by the {@link Permits}; the
 * {@link RateLimiter} ({@code --rate} and the pace); the {@link ThrottlePause} (job-wide pause and
 * {@link Pacer} for a saturated server); the {@link RetryBudget}; the two circuits
 * ({@link ConnectCircuit}, {@link RatioCircuit}).
 *
 * <p>A throttled retry waits as asked and takes nothing from the budget; other retries take a
 * token, and wait for one when the budget is dry: the budget paces retries, it never turns an ID
 * with attempts left into a failure. Every wait is in slices that look at whether the job closed.
 */
final class FlowControl implements Gate {
    private static final Logger LOG = LogManager.getLogger(FlowControl.class);
    private static final long SLICE_NANOS = 100_000_000L;

    private final NanoClock clock;
    private final ConcurrencyLimit limit;
    private final Permits permits;
    private final RateLimiter rate;
    private final ThrottlePause throttle;
    private final RetryBudget budget;
    private final ConnectCircuit connectCircuit;
    private final RatioCircuit ratioCircuit;
    private volatile String closedBecause;
    private volatile boolean aborted;
    private final AtomicLong retriesGranted = new AtomicLong();
    /** {@link #isClosed} as an object made once, not one per wait. */
    private final BooleanSupplier closed = this::isClosed;
    // What awaitTurn needs to know to let a request start at once without the lock: the pause's
    // end and whether starts are spaced (--rate, the pace). Written under the lock when they change.
    private volatile long pausedUntil;
    private volatile boolean spaced;

    FlowControl(FlowSettings flow) {
        this(flow, NanoClock.SYSTEM);
    }

    FlowControl(FlowSettings flow, NanoClock clock) {
        this(clock, clock.nanoTime(), flow);
    }

    private FlowControl(NanoClock clock, long now, FlowSettings flow) {
        this(clock, flow.autoConcurrency()
                        ? new AutoLimit(flow.concurrencyInFlight(), flow.noticeInterval(), now, MachineCpu.of(), GcPauses.of())
                        : new HalvingLimit(flow.concurrencyInFlight(), now),
                new RateLimiter(flow.rate(), now),
                new ThrottlePause(flow.retry().backoff(), flow.retry().maxRetryWait(), now),
                new RetryBudget(flow.retryBudget(), flow.concurrencyInFlight(), now),
                new ConnectCircuit(flow.circuitFailures()),
                new RatioCircuit(flow.circuitWindow(), flow.circuitRatio()));
    }

    /** The policies, each started on {@code clock}. */
    FlowControl(NanoClock clock, ConcurrencyLimit limit, RateLimiter rate, ThrottlePause throttle, RetryBudget budget,
            ConnectCircuit connectCircuit, RatioCircuit ratioCircuit) {
        this.clock = clock;
        this.limit = limit;
        this.permits = new Permits(limit.limit());
        this.rate = rate;
        this.throttle = throttle;
        this.budget = budget;
        this.connectCircuit = connectCircuit;
        this.ratioCircuit = ratioCircuit;
        this.pausedUntil = throttle.pausedUntil();
        this.spaced = rate.spaces() || throttle.pacing();
    }

    /** Owner: waits for a slot; null when the job closed (a closed job starts nothing). The permit's release ends it. */
    Permits.Permit acquire() throws InterruptedException {
        return isClosed() ? null : permits.acquire(closed);
    }

    /**
     * Starts at once when no pause is on and starts are not spaced: then reserving a slot would
     * give "now" and leave the rate limiter's state as good as it was, and the pacer counts starts
     * only while it paces. Otherwise waits out the pause and then for a reserved slot.
     */
    @Override
    public void awaitTurn() throws InterruptedException {
        if (spaced || pausedUntil - clock.nanoTime() > 0) {
            waitForSlot();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private void waitForSlot() throws InterruptedException {
        sleepWhile(() -> pausedUntil - clock.nanoTime());
        long slot;
        synchronized (this) {
            slot = rate.reserve(clock.nanoTime(), throttle.started());
        }
        // In slices: a stop must not wait for slots reserved far ahead at a low --rate or pace.
        sleepWhile(() -> slot - clock.nanoTime());
    }

    @Override
    public synchronized void record(Signal signal, FailureReason failure, Duration retryAfter, boolean retry,
            long latencyNanos) {
        long now = clock.nanoTime();
        budget.deposit();
        if (retry && signal == Signal.OK) {
            budget.refund();
        }
        abortIf(ratioCircuit.record(signal, failure));
        throttle.response(signal, failure, retryAfter, now);
        int inFlight = permits.inUse();
        switch (signal) {
            case OK -> limit.succeeded(latencyNanos, inFlight, now);
            case THROTTLED -> limit.dropped(latencyNanos, inFlight, now);
            case FAILED -> {
                if (failure == FailureReason.TIMEOUT) {
                    limit.timedOut(latencyNanos, inFlight, now);
                }
            }
            case CONNECT_FAILED -> { }
        }
        abortIf(connectCircuit.record(signal));
        permits.resize(limit.limit());
        long until = throttle.pausedUntil();
        if (until != pausedUntil) {
            pausedUntil = until;
        }
        boolean nowSpaced = rate.spaces() || throttle.pacing();
        if (nowSpaced != spaced) {
            spaced = nowSpaced;
        }
    }

    private void abortIf(String cause) {
        if (cause != null) {
            abort(cause);
        }
    }

    @Override
    public boolean awaitRetry(Gate.Permit permit, Duration wait, boolean spendsBudget) throws InterruptedException {
        if (!(permit instanceof Permits.Permit own)) {
            throw new IllegalArgumentException("not a permit of this job: " + permit);
        }
        retriesGranted.incrementAndGet(); // "retrying" in the progress: waiting to retry, or retrying
        own.lend(); // other IDs use the slot meanwhile; if this throws or closes, the permit stays lent
        long start = clock.nanoTime();
        long total = nanos(wait);
        // In slices: a stop or an open circuit must not wait for a long Retry-After.
        sleepWhile(() -> total - (clock.nanoTime() - start));
        // A dry budget delays the retry, it never drops it: wait for a token.
        while (spendsBudget && !isClosed() && !takeToken()) {
            clock.sleep(SLICE_NANOS / 4);
        }
        return !isClosed() && own.takeBack(closed);
    }

    private synchronized boolean takeToken() {
        return budget.tryTake(clock.nanoTime());
    }

    /** Sleeps in slices while {@code nanosLeft} is positive and the job is open. */
    private void sleepWhile(LongSupplier nanosLeft) throws InterruptedException {
        long left;
        while ((left = nanosLeft.getAsLong()) > 0 && !isClosed()) {
            clock.sleep(Math.min(left, SLICE_NANOS));
        }
    }

    /** A duration in nanoseconds, saturating at about 292 years instead of overflowing. */
    static long nanos(Duration d) {
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : Math.max(0, d.toNanos());
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
    synchronized void stop(String why) {
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
        return limit.limit();
    }

    /** The latency floor the auto limit measured, in ms; NaN for a fixed limit or before it measured one. */
    synchronized double latencyFloorMillis() {
        return limit.latencyFloorMillis();
    }

    /** Slots free now, negative while a lowered limit waits for permits to come back; in flight = limit - available. */
    int available() {
        return limit() - permits.inUse();
    }

    /** Permits held now: 0 once every ID ended, or a permit was never released. */
    int held() {
        return permits.inUse();
    }
}
