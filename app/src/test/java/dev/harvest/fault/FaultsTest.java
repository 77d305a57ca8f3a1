package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A misbehaving server: each fault ends in the results (after retries) or in the failed file with its reason. */
@Tag("slow")
class FaultsTest {
    private static final String JSON = "{\"ok\":true}";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private Harvest.Result run(List<String> ids, Map<String, String> env, String... extra) {
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
        List<String> a = new ArrayList<>(List.of("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", dir.toString(), "--backoff", "10ms", "--max-retry-wait", "2s", "--timeout", "2s", "-q"));
        a.addAll(List.of(extra));
        return Harvest.run(env, a.toArray(String[]::new));
    }

    private List<String> failedRows() {
        List<String> rows = Harvest.lines(Harvest.only(dir, "failed-"));
        return rows.subList(1, rows.size());
    }

    private List<String> results() {
        return Harvest.lines(Harvest.only(dir, "results-"));
    }

    private static ResponseDefinitionBuilder ok() {
        return aResponse().withHeader("Content-Type", "application/json").withBody(JSON);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK", "RANDOM_DATA_THEN_CLOSE"})
    void aTransientFaultIsRetriedAndTheIdEndsInTheResultsOnce(Fault fault) {
        server.stubFor(get(urlEqualTo("/c/C1")).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(fault)).willSetStateTo("recovered"));
        server.stubFor(get(urlEqualTo("/c/C1")).inScenario("s").whenScenarioStateIs("recovered").willReturn(ok()));

        Harvest.Result r = run(List.of("C1"), Map.of());

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(List.of("{\"id\":\"C1\",\"status\":200,\"body\":" + JSON + "}"), results());
        assertEquals(List.of(), failedRows());
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "MALFORMED_RESPONSE_CHUNK", "RANDOM_DATA_THEN_CLOSE"})
    void aPersistentFaultEndsAsANetworkFailureWithItsAttempts(Fault fault) {
        server.stubFor(get(urlEqualTo("/c/C1")).willReturn(aResponse().withFault(fault)));

        Harvest.Result r = run(List.of("C1"), Map.of(), "--retries", "1");

        assertEquals(1, r.exitCode(), r.stderr());
        List<String> rows = failedRows();
        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.getFirst().startsWith("C1,network,,2,true,"), rows.toString());
    }

    @Test
    void statusesMapToReasonsAndOnlyTransientOnesAreRetried() {
        server.stubFor(get(urlEqualTo("/c/NF")).willReturn(aResponse().withStatus(404)));
        server.stubFor(get(urlEqualTo("/c/ERR")).willReturn(aResponse().withStatus(500)));
        server.stubFor(get(urlEqualTo("/c/BIG")).willReturn(ok().withBody("[" + "1,".repeat(5000) + "1]")));
        server.stubFor(get(urlEqualTo("/c/HTML")).willReturn(aResponse().withHeader("Content-Type", "text/html").withBody("<html>")));
        server.stubFor(get(urlEqualTo("/c/EMPTY")).willReturn(aResponse().withHeader("Content-Type", "application/json")));
        server.stubFor(get(urlEqualTo("/c/UTF")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, 0x28, '"', '}'})));
        server.stubFor(get(urlEqualTo("/c/SLOW")).willReturn(ok().withChunkedDribbleDelay(4, 3000)));

        Harvest.Result r = run(List.of("NF", "ERR", "BIG", "HTML", "EMPTY", "UTF", "SLOW"), Map.of(),
                "--retries", "2", "--max-body", "1KiB", "--timeout", "1s");

        assertEquals(1, r.exitCode(), r.stderr());
        List<String> rows = failedRows();
        assertEquals(7, rows.size(), rows.toString());
        assertTrue(rows.contains("NF,http_404,404,1,false,HTTP 404"), rows.toString());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("ERR,http_5xx,500,3,true,")), rows.toString());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("BIG,body_too_large,,1,false,")), rows.toString());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("HTML,bad_content_type,200,1,false,")), rows.toString());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("EMPTY,empty_body,200,1,false,")), rows.toString());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("UTF,bad_json,200,1,false,")), rows.toString());
        // The body dribbles for 3 s; the 1 s timeout must cover the body, not just the headers.
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("SLOW,timeout,,3,true,")), rows.toString());
        server.verify(1, getRequestedFor(urlEqualTo("/c/NF")));
        server.verify(3, getRequestedFor(urlEqualTo("/c/ERR")));
    }

    @Test
    void retryAfterIsHonouredAcrossTheJob() {
        server.stubFor(get(urlEqualTo("/c/C1")).inScenario("t").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        server.stubFor(get(urlEqualTo("/c/C1")).inScenario("t").whenScenarioStateIs("ok").willReturn(ok()));

        Harvest.Result r = run(List.of("C1"), Map.of());

        assertEquals(0, r.exitCode(), r.stderr());
        var events = server.getAllServeEvents();
        assertEquals(2, events.size());
        long gap = Math.abs(events.get(0).getRequest().getLoggedDate().getTime() - events.get(1).getRequest().getLoggedDate().getTime());
        assertTrue(gap >= 900, "waited for Retry-After: " + gap + " ms");
    }

    @Test
    void aHugeRetryAfterWaitsOnlyMaxRetryWait() {
        // Seconds beyond what milliseconds can hold, beyond a long, and a date in the year 9999.
        List<String> ids = List.of("SECS", "DIGITS", "DATE");
        List<String> values = List.of("100000000000000000", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT");
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            server.stubFor(get(urlEqualTo("/c/" + id)).inScenario(id).whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", values.get(i))).willSetStateTo("ok"));
            server.stubFor(get(urlEqualTo("/c/" + id)).inScenario(id).whenScenarioStateIs("ok").willReturn(ok()));
        }

        long start = System.nanoTime();
        Harvest.Result r = run(ids, Map.of(), "--max-retry-wait", "1s");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(3, results().size(), results().toString());
        assertEquals(List.of(), failedRows());
        assertTrue(seconds < 30, "each retry waited --max-retry-wait (1 s); the run took " + seconds + " s");
    }

    /**
     * A quarter of the IDs fail once or twice (503, 429 with Retry-After, a reset, a body cut short,
     * one answer slower than --timeout) and then answer; one in 50 gets malformed JSON every time.
     * With default settings every recoverable ID is recovered: the failed file holds exactly the
     * permanent failures, none as "retry budget exhausted".
     */
    @Test
    void withDefaultSettingsEveryIdThatFailsOnceOrTwiceIsRecovered() throws IOException {
        int n = 1000;
        List<String> ids = IntStream.range(0, n).mapToObj(i -> "F" + i).toList();
        List<String> permanent = ids.stream().filter(id -> FaultMix.badJson(id)).toList();
        FaultMix mix = new FaultMix(3000);
        try {
            // Default settings but for a short timeout (the slow answers take 3 s).
            Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
            Harvest.Result r = Harvest.run("--input", input.toString(), "--url", mix.url(), "--out", dir.toString(),
                    "--timeout", "2s", "-q");

            assertEquals(1, r.exitCode(), r.stderr());
            List<String> rows = failedRows();
            assertEquals(permanent, rows.stream().map(l -> l.substring(0, l.indexOf(','))).sorted(
                    (a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1)))).toList(),
                    "failed rows: " + rows.stream().filter(l -> !l.contains(",bad_json,")).limit(5).toList());
            assertTrue(rows.stream().allMatch(l -> l.contains(",bad_json,")), rows.toString());
            assertEquals(n - permanent.size(), results().size());
            assertTrue(mix.faults.get() >= n / 4, mix.faults + " faults served");
        } finally {
            mix.stop();
        }
    }

    /** The fault server of {@link #withDefaultSettingsEveryIdThatFailsOnceOrTwiceIsRecovered}: JDK only, per-ID attempt counts. */
    private static final class FaultMix {
        private final HttpServer http;
        private final long slowMillis;
        private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final AtomicInteger faults = new AtomicInteger();

        FaultMix(long slowMillis) throws IOException {
            this.slowMillis = slowMillis;
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            http.createContext("/f/", this::handle);
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/f/{id}";
        }

        void stop() {
            http.stop(0);
        }

        static boolean badJson(String id) {
            return Integer.parseInt(id.substring(1)) % 50 == 1;
        }

        private void handle(HttpExchange ex) throws IOException {
            String id = ex.getRequestURI().getPath().substring("/f/".length());
            int i = Integer.parseInt(id.substring(1));
            int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            int failures = i % 4 != 0 ? 0 : i % 8 == 0 ? 2 : 1;
            try (ex) {
                if (attempt <= failures) {
                    faults.incrementAndGet();
                    // Consecutive kinds for one ID differ, so no ID is slow twice.
                    switch ((i / 4 + attempt) % 5) {
                        case 0 -> send(ex, 503, "unwell");
                        case 1 -> {
                            ex.getResponseHeaders().set("Retry-After", "1");
                            send(ex, 429, "slow down");
                        }
                        case 2 -> throw new IOException("fault: reset"); // the JDK server drops the connection
                        case 3 -> {
                            byte[] body = body(id);
                            ex.getResponseHeaders().set("Content-Type", "application/json");
                            ex.sendResponseHeaders(200, body.length);
                            ex.getResponseBody().write(body, 0, body.length / 2);
                            ex.getResponseBody().flush();
                            throw new IOException("fault: truncated");
                        }
                        default -> {
                            sleep(slowMillis);
                            send(ex, 200, new String(body(id), StandardCharsets.UTF_8));
                        }
                    }
                } else if (badJson(id)) {
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    send(ex, 200, "{\"id\":");
                } else {
                    ex.getResponseHeaders().set("Content-Type", "application/json");
                    send(ex, 200, new String(body(id), StandardCharsets.UTF_8));
                }
            }
        }

        private static byte[] body(String id) {
            return ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        }

        private static void send(HttpExchange ex, int status, String text) throws IOException {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void crossHostRedirectsAreNotFollowedAndTheTokenNeverLeaksAnywhere() throws Exception {
        String other = server.baseUrl().replace("localhost", "127.0.0.2").replace("127.0.0.1", "127.0.0.2");
        server.stubFor(get(urlEqualTo("/c/AWAY")).willReturn(aResponse().withStatus(302).withHeader("Location", other + "/c/X")));
        server.stubFor(get(urlEqualTo("/c/HOME")).willReturn(aResponse().withStatus(302).withHeader("Location", "/c/THERE")));
        server.stubFor(get(urlEqualTo("/c/THERE")).willReturn(ok()));
        String token = "s3cr3t-t0ken-value";

        Harvest.Result r = run(List.of("AWAY", "HOME"), Map.of("API_TOKEN", token), "--token-env", "API_TOKEN", "-v");

        assertEquals(1, r.exitCode(), r.stderr());
        assertTrue(failedRows().getFirst().startsWith("AWAY,http_3xx,302,1,false,redirect to another origin not followed"), failedRows().toString());
        assertEquals(1, results().size(), "same-host redirect followed");
        server.verify(0, getRequestedFor(urlEqualTo("/c/X")));
        assertEquals("Bearer " + token, server.getAllServeEvents().getFirst().getRequest().getHeader("Authorization"));
        for (String name : Harvest.names(dir)) {
            assertFalse(Files.readString(dir.resolve(name)).contains(token), "token in " + name);
        }
        assertFalse((r.stdout() + r.stderr()).contains(token));
    }
}
