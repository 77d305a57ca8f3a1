package dev.harvest.fetch;

import java.time.Duration;

/**
 * Job-wide flow control the fetcher consults around each attempt: rate limit, pacing and global
 * pause for a throttling server, retry budget and circuit breakers. Implemented by the pipeline, which owns all shared
 * concurrency state; the fetcher only asks and reports. The fetcher fetches each ID under a
 * {@link Permit} the pipeline acquired and releases.
 */
public interface Gate {

    /** Blocks until a request may start. */
    void awaitTurn() throws InterruptedException;

    /**
     * Reports one attempt's result.
     *
     * @param signal     what the attempt says about the server's state
     * @param failure    the reason, when the attempt counts as a server-side failure for the
     *                   failure-ratio circuit (5xx, connect, timeout, reset, TLS); null when the
     *                   server answered (404 and a bad body are the data's fault) or throttled (429)
     * @param retryAfter the server's {@code Retry-After}, or null
     * @param retry      whether the attempt was a retry (one the server answers gives its budget back)
     * @param latencyNanos how long the attempt took (what {@code --concurrency auto} judges the server by)
     */
    void record(Signal signal, FailureReason failure, Duration retryAfter, boolean retry, long latencyNanos);

    /**
     * Waits before a retry without holding a concurrency slot: other IDs use the slot meanwhile
     * (a 429's one-second {@code Retry-After} must not idle a slot for a second), and the caller
     * holds one again on return. A retry that spends the retry budget then also waits, as long as
     * it takes, for the budget to have room: the budget slows retries down, it never drops one.
     * The wait ends early when the job closes (stop, circuit): the ID is then left for the resume
     * instead of keeping the run alive until its retry.
     *
     * @param permit       the ID's permit: it lends its slot during the wait and holds one again on true
     * @param wait         the backoff or the server's {@code Retry-After}, already capped
     * @param spendsBudget false for a throttled answer: the server asked for the wait, the job obeys
     *                     it, and that is no retry storm
     * @return true to retry; false when the job closed during the wait (the permit then holds no slot)
     * @throws InterruptedException on a hard stop; the permit then holds no slot, and its release
     *         gives none back
     */
    boolean awaitRetry(Permit permit, Duration wait, boolean spendsBudget) throws InterruptedException;

    /** Stops the whole job as aborted (exit 3): a local problem no retry can fix, e.g. a full disk. */
    void abort(String cause);

    /** Whether the job has stopped starting requests (circuit open or stop requested). */
    boolean isClosed();

    /**
     * One ID's concurrency slot, acquired by the pipeline before the ID's first attempt and released
     * by it, exactly once, after the ID's outcome is handed over. The fetcher only passes it to
     * {@link #awaitRetry}.
     */
    interface Permit {
        /** Whether the permit holds its slot now (not while lent during a retry wait, nor after its release). */
        boolean held();
    }

    /** What an attempt told about the server's state. */
    enum Signal {
        /** A response arrived that is not a throttle. */
        OK,
        /** 429 or 503: the server asks the whole job to slow down. */
        THROTTLED,
        /** The connection could not be opened. */
        CONNECT_FAILED,
        /** Another transient failure (timeout, reset, 5xx). */
        FAILED
    }
}
