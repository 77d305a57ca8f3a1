package dev.harvest.fetch;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Fetches one ID: builds the request, sends it with {@link HttpClient} (see {@link ClientPool}), follows same-origin
 * redirects, and retries transient failures under the job's {@link Gate}. Blocking code, meant to
 * run on a virtual thread; it never throws for a network or HTTP problem, it returns a
 * {@link FetchResult}. In download mode a 2xx body is streamed to a temporary file (never held in
 * memory); with conditional requests the previous run's validators are sent and a 304 is
 * {@link FetchResult.Unchanged}.
 */
public final class Fetcher implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Fetcher.class);
    private static final int MAX_REDIRECTS = 5;
    private static final int SNIPPET = 120;

    private final ClientPool clients;
    private final String[] headers;
    private final Duration timeout;
    private final long maxBody;
    private final BodyBudget budget;
    private final RedirectPolicy redirects;
    private final RetryPolicy retryPolicy;
    private final Gate gate;
    private final Map<String, LastFetch> previous;
    private final boolean keepValidators;
    private final Path tempDir;
    private final Secrets secrets;
    /** {@code --compressed}: gzip bodies are inflated ({@link GzipBody}). */
    private final boolean compressed;
    // The whole-exchange deadline (no HttpRequest.timeout: it would only add a second timer).
    private final ExchangeDeadlines deadlines = new ExchangeDeadlines();

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
        // One client (one selector thread) for HTTP/1.1. Measured here at 1,000 in flight: four
        // clients cost more CPU, and so did a ForkJoinPool, the default cached pool or a
        // same-thread executor. HTTP/2 needs a client per 100 requests in flight (see ClientPool).
        SSLContext tls = request.caFile() == null ? null : request.caFile().sslContext();
        this.clients = new ClientPool(() -> newClient(request, tls), request.httpVersion() == HttpClient.Version.HTTP_2,
                concurrency);
        List<String> h = new ArrayList<>();
        for (RequestHeader header : request.headers()) {
            h.add(header.name());
            h.add(header.value());
        }
        if (request.headers().stream().noneMatch(header -> header.key().equals("user-agent"))) {
            h.add("User-Agent"); // instead of the JDK client's Java-http-client/<version>
            h.add(request.userAgent());
        }
        if (request.token() != null) {
            h.add("Authorization");
            h.add(request.token().headerValue());
        }
        this.headers = h.toArray(String[]::new);
        this.timeout = request.timeout();
        this.maxBody = request.maxBody();
        this.budget = budget;
        this.redirects = request.redirects();
        this.retryPolicy = retryPolicy;
        this.gate = gate;
        this.previous = Map.copyOf(previous);
        this.keepValidators = request.mode().conditional(); // only conditional jobs save them: skip the lookups per ID otherwise
        this.tempDir = tempDir;
        this.secrets = request.secrets();
        this.compressed = request.compressed();
    }

    /** One client; {@code tls} is the context trusting {@code --ca-file} too, or null for the default. */
    private static HttpClient newClient(RequestSettings request, SSLContext tls) {
        HttpClient.Builder builder = request.proxy().applyTo(HttpClient.newBuilder());
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder
                .version(request.httpVersion())
                .connectTimeout(request.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                // Virtual threads: cheaper than the default cached pool and no platform-thread pile-up.
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /** Fetches one ID, with retries. Interruption (a hard stop) yields {@link FetchResult.Abandoned}. */
    public FetchResult fetch(String id, Target target) {
        URI uri = target.uri();
        LastFetch last = previous.get(id);
        if (last != null && !last.fits(target)) {
            last = null;
        }
        String[] conditional = conditionalHeaders(last);
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
                a = exchange(uri, conditional);
            } catch (InterruptedException e) {
                return new FetchResult.Abandoned(attempt, "interrupted");
            }
            long latency = System.nanoTime() - start;
            if (a.response != null && a.response.statusCode() / 100 == 2) {
                gate.record(Gate.Signal.OK, null, null, attempt > 1, latency);
                HttpResponse<Body> r = a.response;
                String contentType = r.headers().firstValue("content-type").orElse(null);
                Validators validators = keepValidators ? Validators.of(r.headers()) : Validators.NONE;
                return switch (r.body()) {
                    case Body.Bytes b -> new FetchResult.Response(r.statusCode(), b.take(), contentType, validators,
                            attempt, latency);
                    case Body.Saved f -> new FetchResult.Saved(r.statusCode(), f.temp(), f.size(), f.sha256(),
                            contentType, validators, attempt, latency);
                };
            }
            if (a.response != null && a.response.statusCode() == 304 && last != null) {
                gate.record(Gate.Signal.OK, null, null, attempt > 1, latency);
                release(a.response);
                return new FetchResult.Unchanged(last, attempt, latency);
            }
            if (a.error instanceof LocalWriteException e) {
                // The disk, not the server: every other download would fail the same way.
                gate.abort("cannot write to --save-to: " + e.getMessage());
                return new FetchResult.Abandoned(attempt, e.getMessage());
            }
            FetchResult.Failure failure = failure(a, attempt, latency);
            release(a.response);
            Duration retryAfter = a.response == null ? null : RetryPolicy.parseRetryAfter(
                    a.response.headers().firstValue("retry-after").orElse(null), System.currentTimeMillis());
            gate.record(signal(a, failure), serverFailure(a, failure), retryAfter, attempt > 1, latency);
            if (failure.retryable() && gate.isClosed()) {
                // The job is stopping (circuit open, signal): leave the ID for the resume, not the failed file.
                return new FetchResult.Abandoned(attempt, "job stopped (" + failure.reason().label() + ")");
            }
            boolean askedToWait = askedToWait(failure.status(), retryAfter);
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
                if (!gate.awaitRetry(wait, !askedToWait)) {
                    return new FetchResult.Abandoned(attempt, "job stopped while waiting to retry ("
                            + failure.reason().label() + ")");
                }
            } catch (InterruptedException e) {
                return new FetchResult.Abandoned(attempt, "interrupted while waiting to retry");
            }
        }
    }

    /**
     * Whether the server asked the job to come back later: a 429, or a 503 with {@code Retry-After}.
     * Waiting as asked is no retry storm, so such a retry does not spend the retry budget.
     */
    private static boolean askedToWait(int status, Duration retryAfter) {
        return status == 429 || status == 503 && retryAfter != null;
    }

    private static Gate.Signal signal(Attempt a, FetchResult.Failure f) {
        if (f.status() == 429 || f.status() == 503) {
            return Gate.Signal.THROTTLED;
        }
        if (f.reason() == FailureReason.CONNECT) {
            return Gate.Signal.CONNECT_FAILED;
        }
        return a.response != null && !f.retryable() ? Gate.Signal.OK : Gate.Signal.FAILED;
    }

    /**
     * The reason this attempt counts against the server in the failure-ratio circuit, or null. Only
     * what says the endpoint itself is unwell counts: a 5xx, a connection that cannot be opened or
     * breaks, a timeout, a TLS failure. A 404, another 4xx or a bad body is the data's fault; a 429
     * is the server pacing us, which the throttle answers; a body over --max-body is our limit.
     */
    private static FailureReason serverFailure(Attempt a, FetchResult.Failure f) {
        if (a.response != null) {
            return f.status() >= 500 ? f.reason() : null;
        }
        return f.reason() == FailureReason.BODY_TOO_LARGE ? null : f.reason();
    }

    /** The previous run's validators as request headers, or none. */
    private static String[] conditionalHeaders(LastFetch last) {
        if (last == null) {
            return new String[0];
        }
        List<String> h = new ArrayList<>(4);
        if (last.validators().etag() != null) {
            h.add("If-None-Match");
            h.add(last.validators().etag());
        }
        if (last.validators().lastModified() != null) {
            h.add("If-Modified-Since");
            h.add(last.validators().lastModified());
        }
        return h.toArray(String[]::new);
    }

    /** One request, following same-origin redirects, bounded by the whole-exchange deadline. */
    private Attempt exchange(URI uri, String[] conditional) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI target = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(target).GET();
            if (headers.length > 0) {
                b.headers(headers);
            }
            if (conditional.length > 0) {
                b.headers(conditional);
            }
            AtomicReference<Discardable> body = new AtomicReference<>();
            HttpResponse<Body> response;
            // The lease is held until the body is in: an HTTP/2 stream stays open until then.
            try (ClientPool.Lease lease = clients.acquire()) {
                CompletableFuture<HttpResponse<Body>> future = lease.client().sendAsync(b.build(), bodyHandler(body));
                deadlines.watch(future, deadline);
                try {
                    response = future.get();
                } catch (CancellationException e) {
                    // Only the deadline sweeper cancels an exchange.
                    discard(body);
                    return timedOut();
                } catch (InterruptedException e) {
                    future.cancel(true);
                    discard(body);
                    throw e;
                } catch (ExecutionException e) {
                    discard(body);
                    // The client may report the sweeper's cancel as its own error ("Request cancelled").
                    return e.getCause() instanceof CancellationException || System.nanoTime() - deadline >= 0
                            ? timedOut() : new Attempt(null, e.getCause(), null);
                } finally {
                    deadlines.forget(future);
                }
            }
            int status = response.statusCode();
            if (status == 304 && conditional.length > 0) {
                return new Attempt(response, null, null);
            }
            if (status / 100 != 3 || redirects == RedirectPolicy.NEVER) {
                return new Attempt(response, null, null);
            }
            String location = response.headers().firstValue("location").orElse(null);
            if (location == null) {
                return new Attempt(response, null, "redirect without Location");
            }
            URI next;
            try {
                next = target.resolve(location);
            } catch (IllegalArgumentException e) {
                return new Attempt(response, null, "redirect to an invalid Location");
            }
            if (!sameOrigin(uri, next)) {
                return new Attempt(response, null, "redirect to another origin not followed: " + next.getScheme() + "://" + next.getRawAuthority());
            }
            if (hop == MAX_REDIRECTS) {
                return new Attempt(response, null, "more than " + MAX_REDIRECTS + " redirects");
            }
            release(response);
            target = next;
        }
    }

    private Attempt timedOut() {
        return new Attempt(null, new HttpTimeoutException("no complete response within " + timeout.toMillis() + " ms"), null);
    }

    /**
     * Bodies of 2xx responses go to a temporary file in download mode; every other body (error
     * pages, redirects, JSON, feeds) is collected in memory within the job's body budget, bounded
     * by --max-body (in download mode also by what the heap holds: --max-body caps files there).
     */
    private HttpResponse.BodyHandler<Body> bodyHandler(AtomicReference<Discardable> subscriber) {
        return info -> {
            RefusedBody refused = RefusedBody.ifConflicting(info);
            if (refused != null) {
                return refused;
            }
            long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
            if (tempDir != null && info.statusCode() / 100 == 2) {
                FileBodySubscriber s = new FileBodySubscriber(tempDir.resolve(tempName()), maxBody, declared);
                subscriber.set(s);
                return s;
            }
            long limit = tempDir == null ? maxBody : Math.min(maxBody, MemoryPlan.maxBodyInMemory());
            LimitedBodySubscriber s = new LimitedBodySubscriber(budget, limit, declared);
            HttpResponse.BodySubscriber<Body> d = compressed && info.statusCode() / 100 == 2
                    ? GzipBody.decoding(info, s, limit, budget) : s;
            subscriber.set((Discardable) d);
            return d;
        };
    }

    /** Gives a dropped response's in-memory body back to the budget (redirects, 304s, failures). */
    private static void release(HttpResponse<Body> response) {
        if (response != null && response.body() instanceof Body.Bytes b) {
            b.release();
        }
    }

    private static String tempName() {
        byte[] r = new byte[12];
        ThreadLocalRandom.current().nextBytes(r);
        return HexFormat.of().formatHex(r) + ".part";
    }

    private static void discard(AtomicReference<Discardable> subscriber) {
        Discardable s = subscriber.get();
        if (s != null) {
            s.discard();
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(String.valueOf(b.getScheme()))
                && a.getHost().equalsIgnoreCase(String.valueOf(b.getHost()))
                && port(a) == port(b);
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    // Every message is scrubbed of the job's secrets here, where it is made: error pages often echo
    // the request's headers and URL, and the message goes to the failed file and the log.
    private FetchResult.Failure failure(Attempt a, int attempts, long latency) {
        if (a.response != null) {
            int status = a.response.statusCode();
            String message = a.note != null ? oneLine(a.note, 200)
                    : "HTTP " + status + (a.response.body() instanceof Body.Bytes b ? snippet(b.release()) : "");
            return new FetchResult.Failure(FailureReason.forStatus(status), status, attempts,
                    FailureReason.isTransientStatus(status), message, latency);
        }
        Throwable t = a.error;
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

    /** Stops the client; every request has finished or been abandoned by now. */
    @Override
    public void close() {
        deadlines.close();
        clients.close();
    }

    /** What one exchange gave: a response (maybe with a note on an unfollowed redirect) or an error. */
    private record Attempt(HttpResponse<Body> response, Throwable error, String note) {
    }
}
