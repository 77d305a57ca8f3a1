package dev.harvest.fetch;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLException;

/**
 * Says what one {@link Attempt} means: a 2xx becomes a {@link FetchResult.Response} or
 * {@link FetchResult.Saved}; anything else a {@link FetchResult.Failure} with its
 * {@link FailureReason}, whether it is retryable and a one-line message scrubbed of the job's
 * secrets; and what the attempt tells the {@link Gate} about the server.
 */
final class AttemptClassifier {
    private static final int SNIPPET = 120;

    private final Secrets secrets;
    /** Only conditional jobs save validators: skip the header lookups per ID otherwise. */
    private final boolean keepValidators;

    AttemptClassifier(Secrets secrets, boolean keepValidators) {
        this.secrets = secrets;
        this.keepValidators = keepValidators;
    }

    /** Whether the attempt got a 2xx, which {@link #success} turns into a result. */
    static boolean succeeded(Attempt a) {
        return a.response() != null && a.response().statusCode() / 100 == 2;
    }

    /** A 2xx attempt's result: its body in memory, or saved to a temporary file in download mode. */
    FetchResult success(Attempt a, int attempts, long latency) {
        HttpResponse<Body> r = a.response();
        String contentType = a.contentType();
        Validators validators = keepValidators ? Validators.of(r.headers()) : Validators.NONE;
        return switch (r.body()) {
            case Body.Bytes b -> new FetchResult.Response(r.statusCode(), b.take(), contentType, validators,
                    attempts, latency);
            case Body.Saved f -> new FetchResult.Saved(r.statusCode(), f.temp(), f.size(), f.sha256(),
                    contentType, validators, attempts, latency);
        };
    }

    /**
     * A failed attempt (neither a 2xx nor an expected 304) as a failure. Its message is scrubbed of
     * the job's secrets here, where it is made: error pages often echo the request's headers and
     * URL, and the message goes to the failed file and the log.
     */
    FetchResult.Failure failure(Attempt a, int attempts, long latency) {
        if (a.response() != null) {
            int status = a.response().statusCode();
            String message = a.note() != null ? oneLine(a.note(), 200)
                    : "HTTP " + status + (a.response().body() instanceof Body.Bytes b ? snippet(b.release()) : "");
            return new FetchResult.Failure(FailureReason.forStatus(status), status, attempts,
                    FailureReason.isTransientStatus(status), message, latency);
        }
        Throwable t = a.error();
        FailureReason reason;
        boolean retryable = true;
        if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException
                || t instanceof UnresolvedAddressException || t instanceof UnknownHostException
                || t != null && t.getCause() instanceof UnresolvedAddressException) {
            reason = FailureReason.CONNECT;
        } else if (t instanceof HttpTimeoutException) {
            reason = FailureReason.TIMEOUT;
        } else if (t instanceof BodyTooLargeException) {
            reason = FailureReason.BODY_TOO_LARGE;
            retryable = false;
        } else if (t instanceof SSLException) {
            reason = FailureReason.TLS;
            retryable = false;
        } else {
            reason = FailureReason.NETWORK;
        }
        return new FetchResult.Failure(reason, 0, attempts, retryable, describe(t), latency);
    }

    /**
     * Whether the server asked the job to come back later: a 429, or a 503 with {@code Retry-After}.
     * Waiting as asked is no retry storm, so such a retry does not spend the retry budget.
     */
    static boolean askedToWait(int status, Duration retryAfter) {
        return status == 429 || status == 503 && retryAfter != null;
    }

    /** What a failed attempt says about the server's state. */
    static Gate.Signal signal(Attempt a, FetchResult.Failure f) {
        if (f.status() == 429 || f.status() == 503) {
            return Gate.Signal.THROTTLED;
        }
        if (f.reason() == FailureReason.CONNECT) {
            return Gate.Signal.CONNECT_FAILED;
        }
        return a.response() != null && !f.retryable() ? Gate.Signal.OK : Gate.Signal.FAILED;
    }

    /**
     * The reason this attempt counts against the server in the failure-ratio circuit, or null. Only
     * what says the endpoint itself is unwell counts: a 5xx, a connection that cannot be opened or
     * breaks, a timeout, a TLS failure. A 404, another 4xx or a bad body is the data's fault; a 429
     * is the server pacing us, which the throttle answers; a body over --max-body is our limit.
     */
    static FailureReason serverFailure(Attempt a, FetchResult.Failure f) {
        if (a.response() != null) {
            return f.status() >= 500 ? f.reason() : null;
        }
        return f.reason() == FailureReason.BODY_TOO_LARGE ? null : f.reason();
    }

    private String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String m = t.getMessage();
        String text = t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
        return oneLine(text, 200);
    }

    private String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        // Enough bytes that a secret starting within the snippet is read whole, so it is scrubbed
        // before the cut rather than half shown after it.
        int window = 4 * (SNIPPET + secrets.longest());
        String s = new String(body, 0, Math.min(body.length, window), StandardCharsets.UTF_8);
        return ": " + oneLine(s, SNIPPET);
    }

    /** Scrubbed of secrets first, then flattened to one line and cut to {@code max} characters. */
    private String oneLine(String s, int max) {
        return OneLine.of(secrets.scrub(s), max);
    }
}
