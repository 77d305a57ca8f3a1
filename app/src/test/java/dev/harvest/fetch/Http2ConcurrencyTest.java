package dev.harvest.fetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --http-version 2} at a concurrency far above a server's stream limit (Jetty's default: 128):
 * with one JDK client, requests failed ("too many concurrent streams", JDK-8225647) until the circuit
 * aborted the run; spread over capped clients, none fails.
 */
@Tag("slow")
class Http2ConcurrencyTest {
    @TempDir
    static Path pki;
    static Path caPem;
    static WireMockServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        TestCertificates certs = TestCertificates.make(pki);
        caPem = certs.caPem();
        // Enough server threads that 1,000 streams are really open at once, and a short delay so they overlap.
        server = new WireMockServer(certs.httpsOnly(wireMockConfig()).containerThreads(200).disableRequestJournal());
        server.start();
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse().withFixedDelay(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void threeThousandIdsAThousandInFlightOverHttp2AllSucceed() throws Exception {
        List<String> ids = IntStream.range(0, 3000).mapToObj(i -> "H" + i).toList();
        Path input = Harvest.idFile(dir, "ids.txt", null, ids);
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", "https://localhost:" + server.httpsPort() + "/c/{id}",
                "--out", out.toString(), "--ca-file", caPem.toString(), "--http-version", "2",
                "--concurrency", "1000", "--retries", "0", "--timeout", "60s");

        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals(List.of("id,reason,http_status,attempts,retryable,message"), Harvest.lines(Harvest.only(out, "failed-")));
        assertEquals(3000, Harvest.lines(Harvest.only(out, "results-")).size());
    }
}
