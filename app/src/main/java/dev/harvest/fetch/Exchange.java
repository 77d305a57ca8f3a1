package dev.harvest.fetch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends one attempt of one ID: builds the request, sends it on the job's clients, follows
 * same-origin redirects (at most {@value #MAX_REDIRECTS}), and bounds the whole exchange, body
 * included, by {@code --timeout}. Bodies of 2xx responses go to a temporary file in download mode;
 * every other body is collected in memory within the job's {@link BodyBudget}. Never retries and
 * never classifies: that is {@link Fetcher} and {@link AttemptClassifier}.
 */
final class Exchange implements AutoCloseable {
    private static final int MAX_REDIRECTS = 5;

    private final ClientPool clients;
    /** GET with the job's headers and no URI: a conditional request is a copy (no header checks per request). */
    private final HttpRequest.Builder prototype;
    /** The job's headers (checked by the prototype): every other request is a {@link GetRequest} with them. */
    private final HttpHeaders jobHeaders;
    private final Duration timeout;
    private final long timeoutNanos;
    private final long maxBody;
    private final BodyBudget budget;
    private final RedirectPolicy redirects;
    private final Path tempDir;
    /** {@code --compressed}: gzip bodies are inflated ({@link GzipBody}). */
    private final boolean compressed;
    // The whole-exchange deadline (no HttpRequest.timeout: it would only add a second timer).
    private final ExchangeDeadlines deadlines = new ExchangeDeadlines();

    /**
     * @param concurrency the most requests in flight at once (sizes the HTTP/2 client pool)
     * @param tempDir     where download bodies are streamed, or null when bodies stay in memory
     * @param budget      memory for bodies held in memory (all but downloads)
     */
    Exchange(RequestSettings request, int concurrency, Path tempDir, BodyBudget budget) {
        this.clients = HttpClients.pool(request, concurrency);
        String[] headers = RequestHeaders.of(request);
        this.prototype = headers.length > 0 ? HttpRequest.newBuilder().GET().headers(headers) : HttpRequest.newBuilder().GET();
        this.jobHeaders = RequestHeaders.asHttpHeaders(headers);
        this.timeout = request.timeout();
        this.timeoutNanos = timeout.toNanos();
        this.maxBody = request.maxBody();
        this.budget = budget;
        this.redirects = request.redirects();
        this.tempDir = tempDir;
        this.compressed = request.compressed();
    }

    /** One request, following same-origin redirects, bounded by the whole-exchange deadline. */
    Attempt send(URI uri, String[] conditional) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        URI target = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest request = conditional.length == 0 ? new GetRequest(target, jobHeaders)
                    : prototype.copy().uri(target).headers(conditional).build();
            BodyReceiver body = new BodyReceiver();
            HttpResponse<Body> response;
            // The lease is held until the body is in: an HTTP/2 stream stays open until then.
            try (ClientPool.Lease lease = clients.acquire()) {
                // send, not sendAsync: see ExchangeDeadlines for the cost of the asynchronous path.
                ExchangeDeadlines.Watch watch = deadlines.watch(deadline);
                try {
                    response = lease.client().send(request, body);
                } catch (InterruptedException e) {
                    body.discard();
                    if (deadlines.forget(watch)) {
                        return timedOut();
                    }
                    throw e;
                } catch (IOException e) {
                    body.discard();
                    // The client may report the sweeper's cancel as its own error ("Request cancelled").
                    boolean late = deadlines.forget(watch);
                    return late || System.nanoTime() - deadline >= 0 ? timedOut() : new Attempt(null, unwrap(e), null);
                } catch (RuntimeException e) {
                    body.discard();
                    deadlines.forget(watch);
                    return new Attempt(null, e, null);
                } catch (Error e) {
                    // Not ours to handle (the pipeline ends the run on it), but the watch must go:
                    // a later interrupt from the sweeper would hit whatever this thread does next.
                    body.discard();
                    deadlines.forget(watch);
                    throw e;
                }
                // A response complete as its deadline passed is kept (send returns only once the
                // body is in); forget clears the sweeper's interrupt if it came that late.
                deadlines.forget(watch);
            }
            int status = response.statusCode();
            if (status == 304 && conditional.length > 0) {
                return new Attempt(response, null, null);
            }
            if (status / 100 != 3 || redirects == RedirectPolicy.NEVER) {
                return new Attempt(response, null, null, body.contentType);
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
            Attempt.release(response);
            target = next;
        }
    }

    /**
     * {@code send} rethrows the exchange's own exception as a new one: of the same class with the
     * original as its cause, or a plain IOException around an original of another class (a
     * ConnectException, a subscriber's BodyTooLargeException). Classification reads the original.
     */
    static Throwable unwrap(IOException e) {
        Throwable cause = e.getCause();
        return cause != null && (e.getClass() == IOException.class || cause.getClass() == e.getClass()) ? cause : e;
    }

    private Attempt timedOut() {
        return new Attempt(null, new HttpTimeoutException("no complete response within " + timeout.toMillis() + " ms"), null);
    }

    /**
     * Where one attempt's body goes, and the subscriber it made, so that a send that fails can give
     * the body's memory back. Bodies of 2xx responses go to a temporary file in download mode; every
     * other body (error pages, redirects, JSON, feeds) is collected in memory within the job's body
     * budget, bounded by --max-body (in download mode also by what the heap holds: --max-body caps
     * files there).
     */
    private final class BodyReceiver implements HttpResponse.BodyHandler<Body> {
        // The subscriber made, by its own class: see discard.
        private volatile FileBodySubscriber file;
        private volatile LimitedBodySubscriber inMemory;
        private volatile GzipBody gzip;
        /** The Content-Type (its first value), or null; read by the sender once send returned. */
        private volatile String contentType;

        @Override
        public HttpResponse.BodySubscriber<Body> apply(HttpResponse.ResponseInfo info) {
            // Header lookups here, on the thread that just parsed the headers. Names are looked
            // up case-insensitively; spelled as servers usually send them, the compare is quickest.
            List<String> types = info.headers().allValues("Content-Type");
            contentType = types.isEmpty() ? null : types.getFirst();
            // One lookup for both uses; the usual single header costs no stream.
            List<String> lengths = info.headers().allValues("Content-Length");
            RefusedBody refused = RefusedBody.ifConflicting(lengths);
            if (refused != null) {
                return refused;
            }
            long declared = lengths.isEmpty() ? -1 : Long.parseLong(lengths.getFirst());
            if (tempDir != null && info.statusCode() / 100 == 2) {
                FileBodySubscriber s = new FileBodySubscriber(tempDir.resolve(tempName()), maxBody, declared);
                file = s;
                return s;
            }
            long limit = tempDir == null ? maxBody : Math.min(maxBody, MemoryPlan.maxBodyInMemory());
            LimitedBodySubscriber s = new LimitedBodySubscriber(budget, limit, declared);
            inMemory = s;
            GzipBody g = compressed && info.statusCode() / 100 == 2 ? GzipBody.ifGzip(info, s, limit, budget) : null;
            if (g != null) {
                gzip = g;
                return g;
            }
            return s;
        }

        /**
         * Gives back what the body holds, if a subscriber was made. Each call is on the subscriber's
         * own class, not through one interface: an interface call here, compiled (C1, as the
         * launcher runs, or C2) while only in-memory bodies had been discarded, threw
         * IncompatibleClassChangeError on the first GzipBody (DiscardedBodiesTest).
         */
        void discard() {
            GzipBody g = gzip;
            if (g != null) {
                g.discard(); // discards the compressed body too
                return;
            }
            LimitedBodySubscriber m = inMemory;
            if (m != null) {
                m.discard();
            }
            FileBodySubscriber f = file;
            if (f != null) {
                f.discard();
            }
        }
    }

    private static String tempName() {
        byte[] r = new byte[12];
        ThreadLocalRandom.current().nextBytes(r);
        return HexFormat.of().formatHex(r) + ".part";
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

    /** Stops the deadline sweeper and the clients; every request has finished or been abandoned by now. */
    @Override
    public void close() {
        deadlines.close();
        clients.close();
    }
}
