package dev.harvest.shape;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nightly re-runs: the previous run's ETag/Last-Modified are sent, a 304 is ok-unchanged, a kept
 * download stays as it was, and validators are never trusted for a file that changed on disk.
 */
@Tag("slow")
class ConditionalRequestsTest {
    private static final String LAST_MODIFIED = "Sun, 22 Nov 2026 03:15:00 GMT";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    Path out;
    int run;

    @BeforeEach
    void dirs() throws Exception {
        out = Files.createDirectory(dir.resolve("out"));
    }

    private static byte[] body(int seed) {
        byte[] b = new byte[20_000 + seed];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Serves a file with an ETag, and 304 to a request that already has that ETag. */
    private void serve(String path, String etag, byte[] body) {
        server.stubFor(get(urlEqualTo(path)).atPriority(5).willReturn(aResponse().withHeader("ETag", etag)
                .withHeader("Last-Modified", LAST_MODIFIED).withHeader("Content-Type", "application/pdf").withBody(body)));
        server.stubFor(get(urlEqualTo(path)).atPriority(1).withHeader("If-None-Match", equalTo(etag))
                .willReturn(aResponse().withStatus(304).withHeader("ETag", etag)));
    }

    /** One run with its own results and failed names (runs may start within the same second). */
    private List<String> run(List<String> flags, int expectedExit) {
        run++;
        List<String> all = Shapes.concat(flags, "--results", out.resolve("results-" + run + ".csv").toString(),
                "--failed", out.resolve("failed-" + run + ".csv").toString());
        Harvest.Result r = Harvest.run(all.toArray(String[]::new));
        assertEquals(expectedExit, r.exitCode(), r.stdout() + r.stderr());
        return all;
    }

    private JsonNode summaryOf(int n) throws Exception {
        // The summary names its results file.
        try (var s = Files.list(out)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("summary-")).toList()) {
                JsonNode j = Shapes.json(p);
                if (j.path("files").path("results").asText().endsWith("results-" + n + ".csv")) {
                    return j;
                }
            }
        }
        throw new AssertionError("no summary for run " + n);
    }

    @Test
    void downloadsAreKeptOn304AndRefetchedWhenChangedOrTouched() throws Exception {
        Path dl = Files.createDirectory(dir.resolve("dl"));
        serve("/f/a.pdf", "\"a1\"", body(1));
        serve("/f/b.pdf", "\"b1\"", body(2));
        Path in = Shapes.write(dir.resolve("ids.csv"), "id,url\nA," + server.baseUrl() + "/f/a.pdf\nB," + server.baseUrl() + "/f/b.pdf\n");
        List<String> flags = List.of("--input", in.toString(), "--url-column", "url", "--save-to", dl.toString(),
                "--out", out.toString(), "--format", "csv", "-q");

        run(flags, 0);
        assertEquals(2, server.countRequestsMatching(getRequestedFor(urlEqualTo("/f/a.pdf")).withHeader("If-None-Match", absent()).build()).getCount()
                + server.countRequestsMatching(getRequestedFor(urlEqualTo("/f/b.pdf")).withHeader("If-None-Match", absent()).build()).getCount());
        FileTime aTime = Files.getLastModifiedTime(dl.resolve("a.pdf"));
        Map<String, String[]> first = rowsById(out.resolve("results-1.csv"));

        // Night two: nothing changed.
        server.resetRequests();
        List<String> second = run(flags, 0);
        assertEquals(2, server.countRequestsMatching(getRequestedFor(urlEqualTo("/f/a.pdf")).withHeader("If-None-Match", equalTo("\"a1\""))
                .withHeader("If-Modified-Since", equalTo(LAST_MODIFIED)).build()).getCount()
                + server.countRequestsMatching(getRequestedFor(urlEqualTo("/f/b.pdf")).withHeader("If-None-Match", equalTo("\"b1\"")).build()).getCount());
        Map<String, String[]> rows = rowsById(out.resolve("results-2.csv"));
        for (String id : List.of("A", "B")) {
            String[] a = rows.get(id);
            String[] b = first.get(id);
            assertEquals("304", a[6]);
            assertArrayEquals(List.of(b).subList(0, 6).toArray(), List.of(a).subList(0, 6).toArray(), "same file, same row");
        }
        assertEquals(aTime, Files.getLastModifiedTime(dl.resolve("a.pdf")), "the kept file was not rewritten");
        assertArrayEquals(body(1), Files.readAllBytes(dl.resolve("a.pdf")));
        JsonNode s2 = summaryOf(2);
        assertEquals(2, s2.get("ok").asInt());
        assertEquals(2, s2.get("unchanged").asInt());
        Shapes.assertVerified(out.resolve("results-2.csv"), out.resolve("failed-2.csv"), second);

        // Night three: A changed on the server; B was deleted locally (its validators must not be used).
        server.resetMappings();
        serve("/f/a.pdf", "\"a2\"", body(3));
        serve("/f/b.pdf", "\"b1\"", body(2));
        Files.delete(dl.resolve("b.pdf"));
        server.resetRequests();
        run(flags, 0);
        rows = rowsById(out.resolve("results-3.csv"));
        assertEquals("200", rows.get("A")[6]);
        assertEquals(Shapes.sha256(body(3)), rows.get("A")[4]);
        assertArrayEquals(body(3), Files.readAllBytes(dl.resolve("a.pdf")));
        assertEquals("200", rows.get("B")[6]);
        assertEquals(1, server.countRequestsMatching(getRequestedFor(urlEqualTo("/f/b.pdf")).withHeader("If-None-Match", absent()).build()).getCount(),
                "no validators for a file that is gone");
        assertArrayEquals(body(2), Files.readAllBytes(dl.resolve("b.pdf")));
        assertEquals(0, summaryOf(3).get("unchanged").asInt());

        // Night four: all unchanged again, with the new validators.
        server.resetRequests();
        run(flags, 0);
        assertEquals(2, summaryOf(4).get("unchanged").asInt());
    }

    @Test
    void anUnchangedFeedIsOkWithoutRowsAndVerifyAccountsForIt() throws Exception {
        server.stubFor(get(urlEqualTo("/feed")).atPriority(5).willReturn(aResponse().withHeader("ETag", "W/\"f1\"")
                .withHeader("Content-Type", "application/rss+xml").withBody(FeedParserSamples.RSS)));
        server.stubFor(get(urlEqualTo("/feed")).atPriority(1).withHeader("If-None-Match", equalTo("W/\"f1\""))
                .willReturn(aResponse().withStatus(304)));
        server.stubFor(get(urlEqualTo("/atom")).willReturn(aResponse().withHeader("Content-Type", "application/atom+xml")
                .withBody(FeedParserSamples.ATOM))); // no validators: always fetched whole
        Path in = Shapes.write(dir.resolve("feeds.csv"), "id,url\nnews," + server.baseUrl() + "/feed\nblog,"
                + server.baseUrl() + "/atom\n");
        List<String> flags = List.of("--input", in.toString(), "--url-column", "url", "--parse", "rss",
                "--out", out.toString(), "--format", "csv", "-q");

        run(flags, 0);
        assertEquals(5, Shapes.rows(out.resolve("results-1.csv")).size());
        List<String> second = run(flags, 0);
        List<String[]> rows = Shapes.rows(out.resolve("results-2.csv"));
        assertEquals(2, rows.size(), "only the feed without validators has rows");
        assertTrue(rows.stream().allMatch(r -> r[0].equals("blog")));
        JsonNode s = summaryOf(2);
        assertEquals(2, s.get("ok").asInt());
        assertEquals(1, s.get("unchanged").asInt());
        assertEquals(1, s.get("ok_without_records").asInt());
        Shapes.assertVerified(out.resolve("results-2.csv"), out.resolve("failed-2.csv"), second);

        // --conditional false fetches everything whole again.
        run(Shapes.concat(flags, "--conditional", "false"), 0);
        assertEquals(5, Shapes.rows(out.resolve("results-3.csv")).size());
    }

    private static Map<String, String[]> rowsById(Path results) {
        Map<String, String[]> m = new HashMap<>();
        for (String[] row : new ArrayList<>(Shapes.rows(results))) {
            m.put(row[0], row);
        }
        return m;
    }
}
