package dev.harvest.shape;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Rows that bring their own URL: good ones are fetched, anything else fails as invalid_url without a request. */
class PerRowUrlTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void invalidUrlsFailWithoutARequestAndTheFailedFileFeedsBackIn() throws Exception {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true}")));
        String base = server.baseUrl();
        Path in = Shapes.write(dir.resolve("rows.csv"), String.join("\n",
                "id,note,url",
                "A,x," + base + "/c/A",
                "B,x,\"" + base + "/c/B?q=1,2\"",
                "P,x,file:///etc/passwd",
                "F,x,ftp://" + server.getPort() + "/x",
                "J,x,javascript:alert(1)",
                "H,x,http:///nohost",
                "G,x,not a url at all",
                "R,x,/c/relative",
                "E,x,",
                "S,short") + "\n");
        Path out = Files.createDirectory(dir.resolve("out"));
        List<String> flags = List.of("--input", in.toString(), "--url-column", "url", "--out", out.toString(), "-q");

        Harvest.Result r = Harvest.run(flags.toArray(String[]::new));

        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals(2, server.getAllServeEvents().size(), "only the two good URLs were requested");
        List<String[]> failed = Shapes.csv(Harvest.only(out, "failed-"));
        assertArrayEquals(new String[] {"id", "reason", "http_status", "attempts", "retryable", "message", "url"}, failed.getFirst());
        Map<String, String[]> byId = new HashMap<>();
        failed.subList(1, failed.size()).forEach(row -> byId.put(row[0], row));
        assertEquals(List.of("E", "F", "G", "H", "J", "P", "R", "S"), byId.keySet().stream().sorted().toList());
        byId.values().forEach(row -> {
            assertEquals("invalid_url", row[1]);
            assertEquals("0", row[3], "no attempt");
            assertEquals("false", row[4], "not retryable");
        });
        assertEquals("file:///etc/passwd", byId.get("P")[6], "the row's URL, so the file can be fixed and fed back");
        assertTrue(byId.get("P")[5].contains("scheme 'file' is not allowed"), byId.get("P")[5]);
        assertEquals("verify: 10 lines: 2 in results, 8 in failed, 0 skipped; 0 missing, 0 duplicated",
                Shapes.assertVerified(Harvest.only(out, "results-"), Harvest.only(out, "failed-"), flags));

        // The failed file is valid input for the same job.
        Path again = Files.createDirectory(dir.resolve("again"));
        Harvest.Result rerun = Harvest.run("--input", Harvest.only(out, "failed-").toString(), "--url-column", "url",
                "--out", again.toString(), "-q");
        assertEquals(1, rerun.exitCode(), rerun.stderr());
        assertEquals(9, Harvest.lines(Harvest.only(again, "failed-")).size());
    }

    @Test
    void aPlainListOfUrls() {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":true}")));
        Path in = Harvest.idFile(dir, "urls.txt", null, List.of(server.baseUrl() + "/c/1", server.baseUrl() + "/c/2", "gopher://x/"));
        Harvest.Result r = Harvest.run("--input", in.toString(), "--input-header", "false", "--url-column", "1",
                "--out", dir.toString(), "-q");
        assertEquals(1, r.exitCode(), r.stderr());
        assertEquals(2, Harvest.lines(Harvest.only(dir, "results-")).size());
        assertEquals(2, Harvest.lines(Harvest.only(dir, "failed-")).size());
    }
}
