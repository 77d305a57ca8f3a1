package dev.harvest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The client pool: no HTTP/2 client ever carries more than its cap, new clients and connections
 * ramp up instead of opening all at once, and the job's concurrency fits.
 */
class ClientPoolTest {
    @Test
    void http2SpreadsAThousandInFlightOverClientsNeverAboveTheCap() throws Exception {
        int concurrency = 1000;
        Map<HttpClient, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        Map<HttpClient, AtomicInteger> most = new ConcurrentHashMap<>();
        CountDownLatch allIn = new CountDownLatch(concurrency);
        try (ClientPool pool = new ClientPool(HttpClient::newHttpClient, true, concurrency);
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            assertEquals(10, pool.size());
            for (int i = 0; i < pool.size(); i++) {
                try (ClientPool.Lease first = pool.acquire()) {
                    // each client's first exchange: it opens up when this is over
                }
            }
            for (int i = 0; i < concurrency; i++) {
                threads.submit(() -> {
                    try (ClientPool.Lease lease = pool.acquire()) {
                        int now = inFlight.computeIfAbsent(lease.client(), c -> new AtomicInteger()).incrementAndGet();
                        most.computeIfAbsent(lease.client(), c -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                        // Every request stays in flight until all 1,000 are: the pool must hold them all at once.
                        allIn.countDown();
                        allIn.await();
                        inFlight.get(lease.client()).decrementAndGet();
                    }
                    return null;
                });
            }
            assertTrue(allIn.await(60, TimeUnit.SECONDS), "all 1,000 requests in flight at once");
        }
        assertEquals(10, most.size(), "every client used");
        most.values().forEach(m -> assertEquals(ClientPool.STREAMS_PER_CLIENT, m.get(), "each client full, never above its cap"));
    }

    /** Until a client's first exchange is over it takes one request: no handshake storm on a new client. */
    @Test
    void aNewHttp2ClientTakesOneRequestUntilItsFirstExchangeIsOver() throws Exception {
        try (ClientPool pool = new ClientPool(HttpClient::newHttpClient, true, 200)) {
            assertEquals(2, pool.size());
            ClientPool.Lease a = pool.acquire();
            ClientPool.Lease b = pool.acquire();
            assertNotSame(a.client(), b.client(), "one first request per client");
            assertEquals(0, a.permit().availablePermits(), "no second request before the first is over");
            a.close();
            assertEquals(ClientPool.STREAMS_PER_CLIENT, a.permit().availablePermits(), "then the full cap");
            b.close();
            assertEquals(ClientPool.STREAMS_PER_CLIENT, b.permit().availablePermits());
        }
    }

    @Test
    void http11WithinTheSlowStartKeepsOneUncappedClient() throws Exception {
        try (ClientPool pool = new ClientPool(HttpClient::newHttpClient, false, ClientPool.SLOW_START)) {
            assertEquals(1, pool.size());
            try (ClientPool.Lease lease = pool.acquire()) {
                assertEquals(null, lease.permit());
            }
        }
    }

    /** HTTP/1.1 opens a connection per request in flight: they ramp up, not a thousand handshakes at once. */
    @Test
    void http11StartsSlowAndGrowsByOnePerEndedExchangeUntilTheConcurrencyFits() throws Exception {
        try (ClientPool pool = new ClientPool(HttpClient::newHttpClient, false, 250)) {
            assertEquals(1, pool.size());
            List<ClientPool.Lease> leases = new ArrayList<>();
            for (int i = 0; i < ClientPool.SLOW_START; i++) {
                leases.add(pool.acquire());
            }
            Semaphore permit = leases.getFirst().permit();
            assertEquals(0, permit.availablePermits(), "no more requests before an exchange ends");
            leases.removeFirst().close();
            assertEquals(2, permit.availablePermits(), "an ended exchange makes room for itself and one more");
            leases.forEach(ClientPool.Lease::close);
            assertEquals(2 * ClientPool.SLOW_START, permit.availablePermits(), "doubled in one round");
            leases.clear();
            for (int i = 0; i < 2 * ClientPool.SLOW_START; i++) {
                leases.add(pool.acquire());
            }
            leases.forEach(ClientPool.Lease::close);
            assertEquals(250, permit.availablePermits(), "grown to the job's concurrency, and no further");
            pool.acquire().close();
            assertEquals(250, permit.availablePermits());
        }
    }
}
