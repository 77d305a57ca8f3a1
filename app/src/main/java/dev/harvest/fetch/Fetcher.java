package dev.harvest.fetch;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Fetches one ID: sends attempts ({@link Exchange}, which follows same-origin redirects), says
 * what each one means ({@link AttemptClassifier}) and retries transient failures under the job's
 * {@link Gate}. Blocking code, meant to run on a virtual thread; it never throws for a network or
 * HTTP problem, it returns a {@link FetchResult}. In download mode a 2xx body is streamed to a
 * temporary file (never held in memory); with conditional requests the previous run's validators
 * are sent and a 304 is {@link FetchResult.Unchanged}.
 */
public final class Fetcher implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Fetcher.class);

    private final Exchange exchange;
    private final AttemptClassifier classifier;
    private final RetryPolicy retryPolicy;
    private final Gate gate;
    private final Map<String, LastFetch> previous;

    /**
     * Builds the job's HTTP clients.
     *
     * @param request     what every request carries and how the client connects
     * @param retryPolicy when to retry a transient failure
     * @param concurrency the most requests in flight at once (sizes the HTTP/2 client pool)
     * @param gate     job-wide flow control
     * @param previous what the previous run got per ID (conditional requests), read-only; empty when off
     * @param tempDir  where download bodies are streamed before the store stage renames them, or
     *                 null when bodies stay in memory
     * @param budget   memory for bodies held in memory (all but downloads)
     */
    public Fetcher(RequestSettings request, RetryPolicy retryPolicy, int concurrency, Gate gate,
                   Map<String, LastFetch> previous, Path tempDir, BodyBudget budget) {
        this.exchange = new Exchange(request, concurrency, tempDir, budget);
        this.classifier = new AttemptClassifier(request.secrets(), request.mode().conditional());
        this.retryPolicy = retryPolicy;
        this.gate = gate;
        this.previous = Map.copyOf(previous);
    }

    /**
     * Fetches one ID, with retries, under its permit (which its retry waits lend to other IDs).
     * Interruption (a hard stop) yields {@link FetchResult.Abandoned}.
     */
    public FetchResult fetch(String id, Target target, Gate.Permit permit) {
        URI uri = target.uri();
        LastFetch last = previous.get(id);
        if (last != null && !last.fits(target)) {
            last = null;
        }
        String[] conditional = RequestHeaders.conditional(last);
        int attempt = 0;
        int failures = 0;
        int throttles = 0;
        while (true) {
            attempt++;
            if (gate.isClosed()) {
                return new FetchResult.Abandoned(attempt - 1, "job stopped before the request started");
            }
            try {
                gate.awaitTurn();
            } catch (InterruptedException e) {
                return new FetchResult.Abandoned(attempt - 1, "interrupted");
            }
            if (gate.isClosed()) {
                return new FetchResult.Abandoned(attempt - 1, "job stopped while waiting for its turn");
            }
            long start = System.nanoTime();
            Attempt a;
            try {
                a = exchange.send(uri, conditional);
            } catch (InterruptedException e) {
                return new FetchResult.Abandoned(attempt, "interrupted");
            }
            long latency = System.nanoTime() - start;
            if (AttemptClassifier.succeeded(a)) {
                gate.record(Gate.Signal.OK, null, null, attempt > 1, latency);
                return classifier.success(a, attempt, latency);
            }
            if (a.response() != null && a.response().statusCode() == 304 && last != null) {
                gate.record(Gate.Signal.OK, null, null, attempt > 1, latency);
                Attempt.release(a.response());
                return new FetchResult.Unchanged(last, attempt, latency);
            }
            if (a.error() instanceof LocalWriteException e) {
                // The disk, not the server: every other download would fail the same way.
                gate.abort("cannot write to --save-to: " + e.getMessage());
                return new FetchResult.Abandoned(attempt, e.getMessage());
            }
            FetchResult.Failure failure = classifier.failure(a, attempt, latency);
            Attempt.release(a.response());
            Duration retryAfter = a.response() == null ? null : RetryPolicy.parseRetryAfter(
                    a.response().headers().firstValue("retry-after").orElse(null), System.currentTimeMillis());
            gate.record(AttemptClassifier.signal(a, failure), AttemptClassifier.serverFailure(a, failure), retryAfter,
                    attempt > 1, latency);
            if (failure.retryable() && gate.isClosed()) {
                // The job is stopping (circuit open, signal): leave the ID for the resume, not the failed file.
                return new FetchResult.Abandoned(attempt, "job stopped (" + failure.reason().label() + ")");
            }
            boolean askedToWait = AttemptClassifier.askedToWait(failure.status(), retryAfter);
            if (askedToWait) {
                throttles++;
            } else {
                failures++;
            }
            if (!failure.retryable() || retryPolicy.usedUp(failures, throttles)) {
                return failure;
            }
            Duration wait = retryPolicy.delay(attempt, retryAfter);
            LOG.warn("id {}: attempt {} failed ({}: {}); retrying in {} ms", id, attempt,
                    failure.reason().label(), failure.message(), wait.toMillis());
            try {
                if (!gate.awaitRetry(permit, wait, !askedToWait)) {
                    return new FetchResult.Abandoned(attempt, "job stopped while waiting to retry ("
                            + failure.reason().label() + ")");
                }
            } catch (InterruptedException e) {
                return new FetchResult.Abandoned(attempt, "interrupted while waiting to retry");
            }
        }
    }

    /** Stops the clients; every request has finished or been abandoned by now. */
    @Override
    public void close() {
        exchange.close();
    }
}
