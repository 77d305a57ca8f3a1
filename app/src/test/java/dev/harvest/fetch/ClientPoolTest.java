package dev.harvest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The HTTP/2 client pool: no client ever carries more than its cap, and the job's concurrency fits. */
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

    @Test
    void http11KeepsOneUncappedClient() throws Exception {
        try (ClientPool pool = new ClientPool(HttpClient::newHttpClient, false, 5000)) {
            assertEquals(1, pool.size());
            try (ClientPool.Lease lease = pool.acquire()) {
                assertEquals(null, lease.permit());
            }
        }
    }
}
