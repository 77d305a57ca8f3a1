package dev.harvest.pipeline;

/**
 * How many requests may be in flight at once, moved by what the responses say: a fixed
 * {@code --concurrency} that halves when the server throttles ({@link HalvingLimit}), or
 * {@code --concurrency auto[:MAX]} ({@link AutoLimit}). Only decides the number; {@link Permits}
 * holds requests to it. Not thread-safe: the caller ({@link FlowControl}) holds its lock.
 */
sealed interface ConcurrencyLimit permits HalvingLimit, AutoLimit {

    /** The limit now. */
    int limit();

    /** A response that is no throttle, after {@code latencyNanos}, with {@code inFlight} requests in flight (itself included). */
    void succeeded(long latencyNanos, int inFlight, long now);

    /** A 429 or 503: the server asks the job to slow down. */
    void dropped(long latencyNanos, int inFlight, long now);

    /** A timeout: it may be the server's queue. */
    void timedOut(long latencyNanos, int inFlight, long now);

    /** The latency floor measured, in ms; NaN when the limit measures none (yet). */
    double latencyFloorMillis();
}
