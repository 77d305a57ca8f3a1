package dev.harvest.fetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which HTTP version harvest speaks, as the server sees it: over TLS HTTP/2 by default and when
 * asked for, if the server offers it (ALPN), and HTTP/1.1, with every ID fetched, from a server
 * that offers only HTTP/1.1 (the JDK client falls back by itself during the handshake); plain
 * {@code http} stays HTTP/1.1 by default (no h2c upgrade), though the server would take one.
 */
class HttpVersionOverTlsTest {
    private static final List<String> IDS = IntStream.range(0, 40).mapToObj(i -> "V" + i).toList();

    @TempDir
    static Path pki;
    static Path caPem;
    /** Offers h2 and http/1.1 by ALPN. */
    static WireMockServer h2;
    /** Offers http/1.1 only. */
    static WireMockServer h1;
    /** Plain http, and would upgrade to h2c if asked. */
    static WireMockServer plain;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServers() throws Exception {
        TestCertificates certs = TestCertificates.make(pki);
        caPem = certs.caPem();
        h2 = new WireMockServer(certs.httpsOnly(wireMockConfig()));
        h1 = new WireMockServer(certs.httpsOnly(wireMockConfig()).http2TlsDisabled(true));
        plain = new WireMockServer(wireMockConfig().dynamicPort());
        for (WireMockServer s : List.of(h2, h1, plain)) {
            s.start();
            s.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                    .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
        }
    }

    @AfterAll
    static void stopServers() {
        for (WireMockServer s : new WireMockServer[] {h2, h1, plain}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    /** Runs harvest against {@code server} and returns the protocols the server saw. */
    private Set<String> run(WireMockServer server, String... extra) throws Exception {
        server.resetRequests();
        Path input = Harvest.idFile(dir, "ids.txt", null, IDS);
        Path out = Files.createDirectory(dir.resolve("out"));
        String url = server == plain ? "http://localhost:" + server.port() : "https://localhost:" + server.httpsPort();
        List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--url", url + "/c/{id}",
                "--out", out.toString(), "--ca-file", caPem.toString(), "--concurrency", "8", "--retries", "0"));
        args.addAll(List.of(extra));

        Harvest.Result r = Harvest.run(args.toArray(String[]::new));

        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals(IDS.size(), Harvest.lines(Harvest.only(out, "results-")).size());
        assertEquals(1, Harvest.lines(Harvest.only(out, "failed-")).size(), "header only");
        Set<String> protocols = new TreeSet<>();
        for (ServeEvent e : server.getAllServeEvents()) {
            protocols.add(e.getRequest().getProtocol());
        }
        return protocols;
    }

    @Test
    void anHttpsUrlGetsHttp2ByDefault() throws Exception {
        assertEquals(Set.of("HTTP/2.0"), run(h2));
    }

    @Test
    void byDefaultAServerOfferingOnlyHttp11GetsHttp11() throws Exception {
        assertEquals(Set.of("HTTP/1.1"), run(h1));
    }

    @Test
    void aPlainHttpUrlStaysHttp11ByDefault() throws Exception {
        assertEquals(Set.of("HTTP/1.1"), run(plain));
    }

    @Test
    void http2IsSpokenWhenAskedForAndOffered() throws Exception {
        assertEquals(Set.of("HTTP/2.0"), run(h2, "--http-version", "2"));
    }

    @Test
    void http2FallsBackToHttp11WhenTheServerOffersOnlyThat() throws Exception {
        assertEquals(Set.of("HTTP/1.1"), run(h1, "--http-version", "2"));
    }

    @Test
    void http11IsSpokenWhenAskedFor() throws Exception {
        assertEquals(Set.of("HTTP/1.1"), run(h2, "--http-version", "1.1"));
    }
}
