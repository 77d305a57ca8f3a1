package dev.harvest.fetch;

import java.nio.file.Path;

/** The raw outcome of fetching one ID, after any retries, as the fetchers hand it to the store. */
public sealed interface FetchResult
        permits FetchResult.Response, FetchResult.Saved, FetchResult.Unchanged, FetchResult.Failure, FetchResult.Abandoned {

    /** Requests sent for this ID (1 + retries). */
    int attempts();

    /**
     * How long the last attempt took, in nanoseconds; 0 when no attempt finished. The run's
     * latency figures read it from here, with the outcome it belongs to.
     */
    long latencyNanos();

    /**
     * A 2xx response held in memory; its body is parsed by the store stage.
     *
     * @param status       the HTTP status
     * @param body         the body bytes (at most --max-body)
     * @param contentType  the Content-Type header, or null
     * @param validators   the response's ETag and Last-Modified
     * @param attempts     requests sent
     * @param latencyNanos time of the last attempt
     */
    record Response(int status, byte[] body, String contentType, Validators validators, int attempts,
                    long latencyNanos) implements FetchResult {
    }

    /**
     * A 2xx response streamed to a temporary file in the download directory (download mode); the
     * store stage renames it to its final name, in order with the journal.
     *
     * @param status       the HTTP status
     * @param temp         the complete body, synced to disk
     * @param bytes        its size (at most --max-body)
     * @param sha256       its SHA-256, hex, computed while streaming
     * @param contentType  the Content-Type header, or null
     * @param validators   the response's ETag and Last-Modified
     * @param attempts     requests sent
     * @param latencyNanos time of the last attempt
     */
    record Saved(int status, Path temp, long bytes, String sha256, String contentType, Validators validators,
                 int attempts, long latencyNanos) implements FetchResult {
    }

    /**
     * 304 Not Modified to a conditional request: what the previous run got still holds.
     *
     * @param previous     what the previous run got (a download's file is still in place)
     * @param attempts     requests sent
     * @param latencyNanos time of the last attempt
     */
    record Unchanged(LastFetch previous, int attempts, long latencyNanos) implements FetchResult {
    }

    /**
     * No usable response.
     *
     * @param reason       why
     * @param status       the last HTTP status, or 0 when none arrived
     * @param attempts     requests sent
     * @param retryable    whether re-running this ID later may succeed
     * @param message      one line for the operator
     * @param latencyNanos time of the last attempt
     */
    record Failure(FailureReason reason, int status, int attempts, boolean retryable, String message,
                   long latencyNanos) implements FetchResult {
    }

    /**
     * Work stopped before an outcome was known (stop signal, circuit open). It is not recorded
     * anywhere, so a resumed run fetches the ID again.
     *
     * @param attempts requests sent
     * @param why      for the log
     */
    record Abandoned(int attempts, String why) implements FetchResult {
        /** Always 0: abandoned work has no latency worth reporting (it was cut short). */
        @Override
        public long latencyNanos() {
            return 0;
        }
    }
}
