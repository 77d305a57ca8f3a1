package dev.harvest.pipeline;

import dev.harvest.fetch.MemoryPlan;
import dev.harvest.fetch.RetryPolicy;
import java.time.Duration;

/**
 * What the pipeline needs of a job to pace it: how many requests at once and how fast, when to
 * retry, when to give up on the server, and how long to wait for requests in flight on a stop.
 *
 * @param concurrency     requests in flight at once; with {@code autoConcurrency} the most
 * @param autoConcurrency {@code --concurrency auto[:MAX]}: the limit adapts to the server, up to {@code concurrency}
 * @param rate            request starts per second, 0 for no limit
 * @param retry           retries of a transient failure, their backoff and its cap
 * @param retryBudget     retries as a share of requests
 * @param circuitFailures consecutive connection failures that abort the run, 0 for never
 * @param circuitWindow   recent attempts the failure-ratio circuit looks at, 0 for never
 * @param circuitRatio    share of that window that must have failed to abort the run (0 < r <= 1)
 * @param drainTimeout    grace for in-flight requests on a signal
 * @param noticeInterval  how often throttling is logged at most (the progress interval)
 */
public record FlowSettings(int concurrency, boolean autoConcurrency, double rate, RetryPolicy retry,
                           double retryBudget, int circuitFailures, int circuitWindow, double circuitRatio,
                           Duration drainTimeout, Duration noticeInterval) {

    /**
     * Requests in flight at once: {@link #concurrency()} within what the heap holds
     * ({@link MemoryPlan#maxConcurrency()}).
     */
    public int concurrencyInFlight() {
        return Math.min(concurrency, MemoryPlan.maxConcurrency());
    }
}
