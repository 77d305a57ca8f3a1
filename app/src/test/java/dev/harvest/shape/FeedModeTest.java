package dev.harvest.shape;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Feed mode end to end: RSS and Atom items as rows; hostile XML fails as bad_xml and leaks nothing. */
class FeedModeTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private void feed(String path, String body, String type) {
        server.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withHeader("Content-Type", type).withBody(body)));
    }

    @Test
    void rssAndAtomItemsBecomeRowsAndHostileFeedsFail() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        feed("/rss", FeedParserSamples.RSS, "application/rss+xml");
        feed("/atom", FeedParserSamples.ATOM, "application/atom+xml");
        feed("/empty", "<rss version=\"2.0\"><channel><title>nothing yet</title></channel></rss>", "text/xml");
        feed("/xxe", "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<rss><channel><item><title>&xxe;</title></item></channel></rss>", "application/rss+xml");
        feed("/lol", FeedParserSamples.billionLaughs(), "application/rss+xml");
        feed("/json", "{\"not\":\"xml\"}", "application/json");
        feed("/html", "<!DOCTYPE html><html><body>Bad gateway</body></html>", "text/html");
        Path out = Files.createDirectory(dir.resolve("out"));
        Path in = Shapes.write(dir.resolve("feeds.csv"), "name,feed\n"
                + Stream.of("rss", "atom", "empty", "xxe", "lol", "json", "html")
                        .map(n -> n + "," + server.baseUrl() + "/" + n).reduce("", (a, b) -> a + b + "\n")
                + "local,file://" + secret + "\n");
        List<String> flags = List.of("--input", in.toString(), "--id-column", "name", "--url-column", "feed",
                "--parse", "rss", "--out", out.toString(), "--format", "csv", "-q");

        long start = System.nanoTime();
        Harvest.Result r = Harvest.run(flags.toArray(String[]::new));
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "the entity bomb did not hang the run");

        assertEquals(1, r.exitCode(), r.stderr());
        List<String[]> all = Shapes.csv(Harvest.only(out, "results-"));
        assertArrayEquals(new String[] {"feed_id", "feed_title", "title", "link", "guid", "published", "updated", "author"}, all.getFirst());
        List<String> rows = all.subList(1, all.size()).stream().map(a -> String.join("|", a)).toList();
        // Feeds finish in any order; each feed's items stay together and in document order.
        String rss = String.join("\n", "rss|Channel title is not an item|First & foremost|https://example.com/1|n-1|2026-11-22T03:15:00Z||",
                "rss|Channel title is not an item|Second <b>bold</b>|https://example.com/2||2026-11-23T09:00:00Z|2026-11-23T09:00:00Z|",
                "rss|Channel title is not an item||||someday||");
        String atom = String.join("\n", "atom|Blog|Hello world|https://blog.example.com/hello|urn:uuid:1|2026-11-20T06:00:00Z|2026-11-21T00:00:00Z|",
                "atom|Blog|Only updated|https://blog.example.com/2|urn:uuid:2|2026-11-21T12:00:00Z|2026-11-21T12:00:00Z|");
        String joined = String.join("\n", rows);
        assertTrue(joined.equals(rss + "\n" + atom) || joined.equals(atom + "\n" + rss), joined);
        Map<String, String[]> failed = new HashMap<>();
        Shapes.rows(Harvest.only(out, "failed-")).forEach(row -> failed.put(row[0], row));
        assertEquals(Map.of("xxe", "bad_xml", "lol", "bad_xml", "json", "bad_xml", "html", "bad_xml", "local", "invalid_url"),
                failed.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue()[1])));
        assertTrue(failed.get("xxe")[5].contains("\"xxe\" was referenced, but not declared"), failed.get("xxe")[5]);
        assertTrue(failed.get("lol")[5].contains("lol9"), failed.get("lol")[5]);
        assertTrue(failed.get("html")[5].contains("<html> is not an RSS"), failed.get("html")[5]);
        for (Path p : Harvest.names(out).stream().map(out::resolve).toList()) {
            assertFalse(Files.readString(p).contains("TOP-SECRET"), "no secret in " + p);
        }
        JsonNode summary = Shapes.json(Harvest.only(out, "summary-"));
        assertEquals(3, summary.get("ok").asInt());
        assertEquals(1, summary.get("ok_without_records").asInt(), "the empty feed");
        assertEquals(5, summary.get("rows").asInt());
        assertEquals("verify: 8 lines: 3 in results, 5 in failed, 0 skipped; 0 missing, 0 duplicated",
                Shapes.assertVerified(Harvest.only(out, "results-"), Harvest.only(out, "failed-"), flags));
    }

    @Test
    void jsonLinesRowsWithATemplate() throws Exception {
        feed("/feeds/news", FeedParserSamples.RSS, "application/rss+xml");
        Path out = Files.createDirectory(dir.resolve("out"));
        Path in = Harvest.idFile(dir, "ids.txt", "feed", List.of("news"));
        List<String> flags = List.of("--input", in.toString(), "--url", server.baseUrl() + "/feeds/{id}", "--parse", "rss",
                "--out", out.toString(), "-q");
        assertEquals(0, Harvest.run(flags.toArray(String[]::new)).exitCode());
        List<JsonNode> rows = Shapes.jsonl(Harvest.only(out, "results-"));
        assertEquals(3, rows.size());
        assertEquals("{\"feed_id\":\"news\",\"feed_title\":\"Channel title is not an item\",\"title\":\"First & foremost\","
                + "\"link\":\"https://example.com/1\",\"guid\":\"n-1\",\"published\":\"2026-11-22T03:15:00Z\","
                + "\"updated\":null,\"author\":null}", rows.getFirst().toString());
        assertTrue(rows.get(2).get("title").isNull());
        Shapes.assertVerified(Harvest.only(out, "results-"), Harvest.only(out, "failed-"), flags);
    }
}
