package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a throttling server slows the job: a sprinkled 429 delays only its own ID (the job goes on),
 * a server that throttles a large share of requests pauses the whole job for its Retry-After, and
 * a rate-limited server is met at its rate with nothing failed.
 */
@Tag("slow")
class ThrottleTest {
    private static final String JSON = "{\"ok\":true}";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private Harvest.Result run(List<String> ids, String... extra) {
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
        List<String> a = new ArrayList<>(List.of("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", dir.toString(), "--backoff", "10ms", "--timeout", "5s", "--retry-budget", "1", "-q"));
        a.addAll(List.of(extra));
        return Harvest.run(Map.of(), a.toArray(String[]::new));
    }

    private static List<String> ids(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "C" + i).toList();
    }

    /** Each ID in {@code throttled} answers 429 with Retry-After once, then 200; every other ID answers 200. */
    private static void throttleOnce(List<String> throttled, String retryAfter) {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(JSON)));
        for (String id : throttled) {
            server.stubFor(get(urlEqualTo("/c/" + id)).inScenario(id).whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", retryAfter)).willSetStateTo("ok"));
            server.stubFor(get(urlEqualTo("/c/" + id)).inScenario(id).whenScenarioStateIs("ok")
                    .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(JSON)));
        }
    }

    private static List<Long> requestTimes() {
        return server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .map(r -> r.getLoggedDate().getTime()).sorted(Comparator.naturalOrder()).toList();
    }

    private static long longestGap(List<Long> times) {
        long gap = 0;
        for (int i = 1; i < times.size(); i++) {
            gap = Math.max(gap, times.get(i) - times.get(i - 1));
        }
        return gap;
    }

    @Test
    void aSprinkledThrottleDelaysOnlyItsOwnId() {
        List<String> all = ids(1000);
        // 1% of the IDs, spread through the first half of the input, each asking for a 2 s pause.
        List<String> throttled = IntStream.rangeClosed(1, 10).mapToObj(i -> "C" + (i * 50 - 37)).toList();
        throttleOnce(throttled, "2");

        Harvest.Result r = run(all, "--concurrency", "16");

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(all.size() + throttled.size(), server.getAllServeEvents().size());
        // The others go on while a throttled ID waits: no 2 s silence at the server while other
        // IDs remain. (After the last of them, a throttled ID's own retry may rightly come later.)
        long lastOther = server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(q -> !throttled.contains(q.getUrl().substring("/c/".length())))
                .mapToLong(q -> q.getLoggedDate().getTime()).max().orElseThrow();
        long gap = longestGap(requestTimes().stream().filter(t -> t <= lastOther).toList());
        assertTrue(gap < 1500, "the job went on while throttled IDs waited; longest silence " + gap + " ms");
        // Each throttled ID itself waited for its Retry-After.
        for (String id : throttled) {
            List<Long> own = server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/c/" + id))
                    .map(e -> e.getRequest().getLoggedDate().getTime()).sorted().toList();
            assertEquals(2, own.size(), id);
            assertTrue(own.get(1) - own.get(0) >= 1900, id + " waited for its Retry-After: " + (own.get(1) - own.get(0)) + " ms");
        }
    }

    @Test
    void aWaitingRetryLeavesItsSlotToOtherIds() {
        List<String> all = ids(20);
        throttleOnce(List.of("C1"), "2");

        Harvest.Result r = run(all, "--concurrency", "1");

        assertEquals(0, r.exitCode(), r.stderr());
        List<Long> first = server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().equals("/c/C1"))
                .map(e -> e.getRequest().getLoggedDate().getTime()).sorted().toList();
        assertEquals(2, first.size());
        // With one slot, the other 19 IDs are fetched while C1 waits its 2 s, not after it.
        long before = server.getAllServeEvents().stream().map(ServeEvent::getRequest)
                .filter(q -> !q.getUrl().equals("/c/C1")).filter(q -> q.getLoggedDate().getTime() <= first.get(1)).count();
        assertEquals(19, before, "IDs fetched while C1 waited for its Retry-After");
    }

    @Test
    void aServerThrottlingMostRequestsPausesTheWholeJob() {
        List<String> all = ids(120);
        // Every ID is throttled once: once the window of 100 responses shows it, the whole job
        // must stop and wait, not retry-storm.
        throttleOnce(all, "1");

        Harvest.Result r = run(all, "--concurrency", "8");

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(2 * all.size(), server.getAllServeEvents().size());
        long gap = longestGap(requestTimes());
        assertTrue(gap >= 900, "the whole job paused for Retry-After; longest silence " + gap + " ms");
        String log = String.join("\n", Harvest.lines(Harvest.only(dir, "harvest-")));
        assertTrue(log.contains("all requests paused for 1000 ms"), log.lines().filter(l -> l.contains("throttl")).toList().toString());
    }

    /**
     * An ordinary token-bucket rate limiter (200 requests a second, bursts of 50, the excess
     * answered 429 with {@code Retry-After: 1}) and default settings: every ID ends in the results
     * (a throttled answer waits as asked and spends no retry budget), and the job runs near the
     * allowed rate (paced, not stop-and-go). Before, 28% of 5,000 IDs failed as http_429 and the
     * run took 70 s where 25 s would do.
     */
    @Test
    void aRateLimitedServerIsMetNearItsRateWithNothingFailed() throws IOException {
        int n = 2000;
        TokenBucketServer limiter = new TokenBucketServer(200, 50);
        try {
            Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids(n));
            Harvest.Result r = Harvest.run("--input", input.toString(), "--url", limiter.url(), "--out", dir.toString(),
                    "--timeout", "5s", "-q");

            assertEquals(0, r.exitCode(), r.stderr());
            List<String> failed = Harvest.lines(Harvest.only(dir, "failed-"));
            assertEquals(1, failed.size(), "nothing failed: " + failed.subList(1, Math.min(failed.size(), 6)));
            assertEquals(n, Harvest.lines(Harvest.only(dir, "results-")).size());
            assertEquals(n, limiter.accepted.get());
            // Generous for a loaded 2-core machine: at least half the allowed rate (the ideal is 10 s).
            double seconds = (limiter.lastAccepted - limiter.firstAccepted) / 1e9;
            double rate = n / seconds;
            assertTrue(rate >= 100, String.format("%.0f requests a second accepted over %.1f s; %d throttled",
                    rate, seconds, limiter.throttled.get()));
        } finally {
            limiter.stop();
        }
    }

    /** A JDK HttpServer in front of a token bucket: 200 while there is a token, else 429 with Retry-After: 1. */
    private static final class TokenBucketServer {
        private final HttpServer http;
        private final double perSecond;
        private final double burst;
        private double tokens;
        private long refilledAt = System.nanoTime();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger throttled = new AtomicInteger();
        volatile long firstAccepted;
        volatile long lastAccepted;

        TokenBucketServer(double perSecond, double burst) throws IOException {
            this.perSecond = perSecond;
            this.burst = burst;
            this.tokens = burst;
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.createContext("/c/", this::handle);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/c/{id}";
        }

        void stop() {
            http.stop(0);
        }

        private synchronized boolean take() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                if (accepted.getAndIncrement() == 0) {
                    firstAccepted = now;
                }
                lastAccepted = now;
                return true;
            }
            return false;
        }

        private void handle(HttpExchange ex) throws IOException {
            try (ex) {
                byte[] body;
                if (take()) {
                    body = JSON.getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    ex.sendResponseHeaders(200, body.length);
                } else {
                    throttled.incrementAndGet();
                    body = "slow down".getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().set("Retry-After", "1");
                    ex.sendResponseHeaders(429, body.length);
                }
                ex.getResponseBody().write(body);
            }
        }
    }
}
