package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.harvest.Harvest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** IDs built to escape their path segment, checked on what the server actually received. */
class HostileIdTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void everyRequestStaysInItsSegment() {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{}")));
        List<String> ids = List.of("../admin", "a/b", "x?y=1#z", "%2e%2e", "é", "with space", "..", ".", "a;b",
                "C%00", "..%2F..%2Fetc", "\\..\\win", "@evil.example", "a&b=c");
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);

        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/v1/customers/{id}?full=1",
                "--out", dir.toString(), "-q");

        assertEquals(0, r.exitCode(), r.stderr());
        List<ServeEvent> events = server.getAllServeEvents();
        assertEquals(ids.size(), events.size());
        Set<String> decoded = new HashSet<>();
        for (ServeEvent e : events) {
            String url = e.getRequest().getUrl();
            assertTrue(url.startsWith("/v1/customers/") && url.endsWith("?full=1"), url);
            String segment = url.substring("/v1/customers/".length(), url.length() - "?full=1".length());
            assertTrue(!segment.contains("/") && !segment.contains("?") && !segment.contains("#")
                    && !segment.equals("..") && !segment.equals("."), url);
            decoded.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        assertEquals(new HashSet<>(ids), decoded, "each ID arrived whole, once");
    }
}
