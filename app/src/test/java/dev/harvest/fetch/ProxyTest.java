package dev.harvest.fetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Requests go through the proxy curl would use: --proxy, else http_proxy/https_proxy, except no_proxy hosts. */
@Tag("slow")
class ProxyTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String PASSWORD = "pr0xy-s3cret-pw";

    @TempDir
    Path dir;

    private Path input;
    private HttpServer proxy;
    private HttpClient forward;
    private final AtomicInteger proxied = new AtomicInteger();
    private volatile String requiredAuth;

    @BeforeEach
    void start() throws Exception {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        input = Files.writeString(dir.resolve("ids.txt"), "A\nB\nC\n");
        forward = HttpClient.newHttpClient();
        // A forwarding proxy: takes absolute-form requests (GET http://host:port/path) and sends them on.
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", this::forward);
        proxy.start();
    }

    @AfterEach
    void stop() {
        proxy.stop(0);
        forward.close();
    }

    private void forward(HttpExchange ex) throws IOException {
        try (ex) {
            URI target = ex.getRequestURI();
            if (target.getScheme() == null) {
                ex.sendResponseHeaders(400, -1); // origin-form: not a proxy request
                return;
            }
            if (requiredAuth != null && !requiredAuth.equals(ex.getRequestHeaders().getFirst("Proxy-Authorization"))) {
                ex.getResponseHeaders().add("Proxy-Authenticate", "Basic realm=\"test\"");
                ex.sendResponseHeaders(407, -1);
                return;
            }
            proxied.incrementAndGet();
            HttpResponse<byte[]> r = forward.send(HttpRequest.newBuilder(target).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            r.headers().firstValue("content-type").ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            ex.getResponseBody().write(r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String proxyUrl() {
        return "http://127.0.0.1:" + proxy.getAddress().getPort();
    }

    /** Runs harvest against the WireMock server; returns how many requests reached it. */
    private Harvest.Result run(Map<String, String> env, String... extra) {
        server.resetRequests();
        proxied.set(0);
        Path out;
        try {
            out = Files.createDirectory(dir.resolve("o" + System.nanoTime()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String[] base = {"--input", input.toString(), "--url", "http://127.0.0.1:" + server.getPort() + "/c/{id}", "--out", out.toString(), "-q"};
        return Harvest.run(env, Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
    }

    private void assertAllThroughProxy(Harvest.Result r) {
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(3, server.getAllServeEvents().size());
        assertEquals(3, proxied.get(), "requests through the proxy");
    }

    private void assertAllDirect(Harvest.Result r) {
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(3, server.getAllServeEvents().size());
        assertEquals(0, proxied.get(), "requests through the proxy");
    }

    @Test
    void httpProxyFromTheEnvironment() {
        assertAllThroughProxy(run(Map.of("HTTP_PROXY", proxyUrl())));
        assertAllThroughProxy(run(Map.of("http_proxy", proxyUrl())));
        // https_proxy is for https URLs only.
        assertAllDirect(run(Map.of("HTTPS_PROXY", proxyUrl())));
    }

    @Test
    void noProxyHostsGoDirect() {
        for (String noProxy : List.of("127.0.0.1", "example.com,.0.1,127.0.0.1", "*", "127.0.0.0/8", " localhost , 127.0.0.1:9")) {
            assertAllDirect(run(Map.of("HTTP_PROXY", proxyUrl(), "NO_PROXY", noProxy)));
        }
        assertAllThroughProxy(run(Map.of("HTTP_PROXY", proxyUrl(), "no_proxy", "example.com,10.0.0.0/8")));
    }

    @Test
    void theFlagOverridesTheEnvironment() {
        assertAllThroughProxy(run(Map.of(), "--proxy", proxyUrl()));
        assertAllThroughProxy(run(Map.of("HTTP_PROXY", "http://127.0.0.1:9"), "--proxy", proxyUrl()));
        assertAllDirect(run(Map.of("HTTP_PROXY", proxyUrl()), "--proxy", ""));
        assertAllDirect(run(Map.of("HTTP_PROXY", proxyUrl()), "--no-proxy"));
    }

    @Test
    void credentialsInTheProxyUrlAnswerItsChallengeAndAreNeverShown() throws Exception {
        requiredAuth = "Basic " + Base64.getEncoder().encodeToString(("ops:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        Map<String, String> env = new HashMap<>();
        env.put("http_proxy", proxyUrl().replace("http://", "http://ops:" + PASSWORD + "@"));
        Harvest.Result r = run(env, "--log-level", "debug");
        assertAllThroughProxy(r);
        assertFalse(r.stdout().contains(PASSWORD) || r.stderr().contains(PASSWORD));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f).contains(PASSWORD), f.toString());
            }
        }
    }

    @Test
    void anUnusableProxyUrlIsExitTwoWithoutThePassword() {
        Harvest.Result socks = run(Map.of("https_proxy", "socks5://u:" + PASSWORD + "@127.0.0.1:1080"));
        assertEquals(2, socks.exitCode(), socks.stderr());
        assertTrue(socks.stderr().contains("$https_proxy") && socks.stderr().contains("only http://"), socks.stderr());
        assertFalse(socks.stderr().contains(PASSWORD), socks.stderr());
        Harvest.Result bad = run(Map.of(), "--proxy", "http://u:" + PASSWORD + "@bad host:1");
        assertEquals(2, bad.exitCode(), bad.stderr());
        assertFalse(bad.stderr().contains(PASSWORD), bad.stderr());
    }
}
