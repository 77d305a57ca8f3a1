package dev.harvest.fetch;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The job's HTTP clients. HTTP/1.1 uses one client with no cap of its own (it opens a connection
 * per request in flight). HTTP/2 multiplexes a client's requests over one connection per server,
 * and the JDK client fails a request beyond the server's stream limit with "too many concurrent
 * streams" instead of queueing it (JDK-8225647): so HTTP/2 requests are spread over enough clients
 * that none carries more than {@link #STREAMS_PER_CLIENT}, each guarded by a semaphore.
 *
 * <p>An HTTP/2 client starts with room for one request: until its first exchange is over it has no
 * connection to multiplex on, and the JDK client opens a connection (a TLS handshake) for every
 * request sent before then. A thousand at once made a handshake storm that timed out on a loaded
 * machine ("50 consecutive connection failures"); after the first exchange the client opens up.
 */
final class ClientPool implements AutoCloseable {
    /**
     * Most requests in flight on one HTTP/2 client: below the usual server stream limits (nginx
     * and Jetty 128, many others 100), so no request is refused for exceeding it.
     */
    static final int STREAMS_PER_CLIENT = 100;

    private final List<HttpClient> clients;
    /** One per client; empty when requests are not capped per client (HTTP/1.1). */
    private final List<Semaphore> permits;
    /** One per client: whether its first exchange is over and it took its full cap. */
    private final List<AtomicBoolean> opened;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param newClient   builds one client
     * @param http2       whether the clients speak HTTP/2 (and so need the per-client cap)
     * @param concurrency the most requests the job has in flight at once
     */
    ClientPool(Supplier<HttpClient> newClient, boolean http2, int concurrency) {
        int count = http2 ? Math.ceilDiv(concurrency, STREAMS_PER_CLIENT) : 1;
        List<HttpClient> c = new ArrayList<>(count);
        List<Semaphore> p = new ArrayList<>(count);
        List<AtomicBoolean> o = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            c.add(newClient.get());
            if (http2) {
                p.add(new Semaphore(1));
                o.add(new AtomicBoolean());
            }
        }
        this.clients = List.copyOf(c);
        this.permits = List.copyOf(p);
        this.opened = List.copyOf(o);
    }

    /** How many clients there are. */
    int size() {
        return clients.size();
    }

    /**
     * A client with room for one more request, taken round-robin; blocks only when every client is
     * full (never while the job keeps to its concurrency: the clients have room for all of it).
     * Close the lease when the exchange is over.
     */
    Lease acquire() throws InterruptedException {
        int start = Math.floorMod(next.getAndIncrement(), clients.size());
        if (permits.isEmpty()) {
            return new Lease(clients.get(start), null, null);
        }
        for (int i = 0; i < clients.size(); i++) {
            int k = (start + i) % clients.size();
            if (permits.get(k).tryAcquire()) {
                return new Lease(clients.get(k), permits.get(k), opened.get(k));
            }
        }
        permits.get(start).acquire();
        return new Lease(clients.get(start), permits.get(start), opened.get(start));
    }

    /** Stops every client. */
    @Override
    public void close() {
        clients.forEach(HttpClient::shutdownNow);
    }

    /**
     * One request's use of a client.
     *
     * @param client the client to send with
     * @param permit its cap, given back on close; null when uncapped
     * @param opened whether the client took its full cap; the first lease closed opens it
     */
    record Lease(HttpClient client, Semaphore permit, AtomicBoolean opened) implements AutoCloseable {
        @Override
        public void close() {
            if (permit != null) {
                boolean first = opened.compareAndSet(false, true);
                permit.release(first ? STREAMS_PER_CLIENT : 1);
            }
        }
    }
}
