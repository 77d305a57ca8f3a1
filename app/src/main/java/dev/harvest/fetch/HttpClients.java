package dev.harvest.fetch;

import java.net.http.HttpClient;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * Builds the job's {@link HttpClient}s from its {@link RequestSettings}: HTTP version, connect
 * timeout, proxy ({@link ProxySettings}) and the TLS context trusting {@code --ca-file}, pooled in a
 * {@link ClientPool}. Redirects are never followed by the client: {@link Exchange} follows
 * same-origin ones itself.
 */
final class HttpClients {
    private HttpClients() {
    }

    /**
     * The job's clients.
     *
     * @param concurrency the most requests in flight at once (sizes the HTTP/2 client pool)
     */
    static ClientPool pool(RequestSettings request, int concurrency) {
        // One client (one selector thread) for HTTP/1.1. Measured here at 1,000 in flight: four
        // clients cost more CPU, and so did a ForkJoinPool, the default cached pool or a
        // same-thread executor. HTTP/2 needs a client per 100 requests in flight (see ClientPool).
        SSLContext tls = request.caFile() == null ? null : request.caFile().sslContext();
        return new ClientPool(() -> newClient(request, tls), request.httpVersion() == HttpClient.Version.HTTP_2,
                concurrency);
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
}
