package dev.harvest.fetch;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The job's HTTP clients. HTTP/1.1 uses one client (it opens a connection per request in flight),
 * which starts with room for {@link #SLOW_START} requests and gains one more with every exchange
 * that ends until the job's concurrency fits (so it doubles every round trip, like TCP's slow
 * start): over TLS a thousand requests sent at once made a thousand handshakes at once, which on a
 * loaded machine took longer than the connect timeout, and the run aborted on "50 consecutive
 * connection failures" (app/bench tls-h1 case at load average 25); in steps of at most a few
 * hundred they finish in time, and plain http pays a few round trips once. HTTP/2 multiplexes a client's requests over one connection per server,
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
    /** Requests an HTTP/1.1 client takes before its first exchange ends. */
    static final int SLOW_START = 100;

    private final List<HttpClient> clients;
    /** One per client; empty when requests are not capped (HTTP/1.1 at a concurrency within its slow start). */
    private final List<Semaphore> permits;
    /** One per client: whether its first exchange is over and it took its full cap (HTTP/2). */
    private final List<AtomicBoolean> opened;
    /** HTTP/1.1: permits still to be added, one per ended exchange, until the concurrency fits. */
    private final AtomicInteger toGrow;
    private final AtomicInteger next = new AtomicInteger();
    /** One per client, made once: a lease holds nothing of its own request, so requests share them. */
    private final List<Lease> leases;

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
        this.toGrow = new AtomicInteger(http2 ? 0 : Math.max(0, concurrency - SLOW_START));
        if (toGrow.get() > 0) {
            p.add(new Semaphore(SLOW_START));
        }
        this.clients = List.copyOf(c);
        this.permits = List.copyOf(p);
        this.opened = List.copyOf(o);
        List<Lease> l = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            l.add(permits.isEmpty() ? new Lease(clients.get(i), null, null, null)
                    : opened.isEmpty() ? new Lease(clients.get(i), permits.get(i), null, toGrow)
                    : new Lease(clients.get(i), permits.get(i), opened.get(i), null));
        }
        this.leases = List.copyOf(l);
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
        if (permits.isEmpty()) {
            return leases.getFirst();
        }
        if (opened.isEmpty()) {
            permits.getFirst().acquire();
            return leases.getFirst();
        }
        int start = Math.floorMod(next.getAndIncrement(), clients.size());
        for (int i = 0; i < clients.size(); i++) {
            int k = (start + i) % clients.size();
            if (permits.get(k).tryAcquire()) {
                return leases.get(k);
            }
        }
        permits.get(start).acquire();
        return leases.get(start);
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
     * @param opened HTTP/2: whether the client took its full cap; the first lease closed opens it
     * @param toGrow HTTP/1.1 slow start: permits still to add, one per lease closed; else null
     */
    record Lease(HttpClient client, Semaphore permit, AtomicBoolean opened, AtomicInteger toGrow) implements AutoCloseable {
        @Override
        public void close() {
            if (permit == null) {
                return;
            }
            if (opened != null) {
                boolean first = opened.compareAndSet(false, true);
                permit.release(first ? STREAMS_PER_CLIENT : 1);
            } else {
                boolean grow = toGrow.get() > 0 && toGrow.getAndDecrement() > 0;
                permit.release(grow ? 2 : 1);
            }
        }
    }
}
