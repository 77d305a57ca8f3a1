package dev.harvest.fetch;

import java.time.Duration;

/**
 * Job-wide flow control the fetcher consults around each attempt: rate limit, global throttle
 * pause, retry budget and circuit breaker. Implemented by the pipeline, which owns all shared
 * concurrency state; the fetcher only asks and reports.
 */
public interface Gate {

    /** Blocks until a request may start. */
    void awaitTurn() throws InterruptedException;

    /** Reports one attempt's result. */
    void record(Signal signal, Duration retryAfter);

    /** Whether one more retry fits the retry budget now; counts it when it does. */
    boolean tryRetry();

    /** Whether the job has stopped starting requests (circuit open or stop requested). */
    boolean isClosed();

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
