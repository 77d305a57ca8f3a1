package dev.harvest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RSS and Atom items come out; XXE, entity bombs and non-XML never do anything but fail. */
class FeedParserTest {
    private final FeedParser parser = new FeedParser();

    @TempDir
    Path dir;

    private List<FeedItem> parse(String xml) throws FeedParser.BadFeedException {
        return parser.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    static final String RSS = dev.harvest.shape.FeedParserSamples.RSS;

    @Test
    void rss2ItemsWithDatesAsInstants() throws Exception {
        assertEquals(List.of(
                new FeedItem("First & foremost", "https://example.com/1", "n-1", "2026-11-22T03:15:00Z", null, null),
                new FeedItem("Second <b>bold</b>", "https://example.com/2", null, "2026-11-23T09:00:00Z", "2026-11-23T09:00:00Z", null),
                new FeedItem(null, null, null, "someday", null, null)), parse(RSS));
    }

    static final String ATOM = dev.harvest.shape.FeedParserSamples.ATOM;

    @Test
    void atomEntries() throws Exception {
        assertEquals(List.of(
                new FeedItem("Hello world", "https://blog.example.com/hello", "urn:uuid:1", "2026-11-20T06:00:00Z", "2026-11-21T00:00:00Z", null),
                new FeedItem("Only updated", "https://blog.example.com/2", "urn:uuid:2", "2026-11-21T12:00:00Z", "2026-11-21T12:00:00Z", null)), parse(ATOM));
    }

    @Test
    void rss1Items() throws Exception {
        String xml = """
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
                         xmlns:dc="http://purl.org/dc/elements/1.1/">
                  <channel rdf:about="https://example.com/"><title>c</title></channel>
                  <item rdf:about="https://example.com/a"><title>A</title><link>https://example.com/a</link>
                    <dc:date>2026-11-22T00:00:00Z</dc:date></item>
                </rdf:RDF>""";
        assertEquals(List.of(new FeedItem("A", "https://example.com/a", "https://example.com/a", "2026-11-22T00:00:00Z", "2026-11-22T00:00:00Z", null)),
                parse(xml));
    }

    @Test
    void aLegacyDoctypeIsSkippedNotLoaded() throws Exception {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\""
                + " \"http://127.0.0.1:9/rss-0.91.dtd\"><rss version=\"0.91\"><channel><item><title>t</title></item></channel></rss>";
        assertEquals(List.of(new FeedItem("t", null, null, null, null, null)), parse(xml));
    }

    @Test
    void xxeNeverReadsALocalFile() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        String general = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<rss><channel><item><title>&xxe;</title></item></channel></rss>";
        FeedParser.BadFeedException e = assertThrows(FeedParser.BadFeedException.class, () -> parse(general));
        assertTrue(e.getMessage().contains("xxe") && e.getMessage().contains("never processed"), e.getMessage());
        assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());

        String parameter = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY % p SYSTEM \"" + secret.toUri() + "\"> %p;]>"
                + "<rss><channel><item><title>x</title></item></channel></rss>";
        List<FeedItem> items = parse(parameter); // the DTD is skipped whole: the file is never read
        assertFalse(items.toString().contains("TOP-SECRET"), items.toString());

        String external = "<?xml version=\"1.0\"?><!DOCTYPE rss SYSTEM \"" + secret.toUri() + "\">"
                + "<rss><channel><item><title>y</title></item></channel></rss>";
        assertFalse(parse(external).toString().contains("TOP-SECRET"));
    }

    static String billionLaughs() {
        return dev.harvest.shape.FeedParserSamples.billionLaughs();
    }

    @Test
    void billionLaughsFailsFast() {
        FeedParser.BadFeedException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(FeedParser.BadFeedException.class, () -> parse(billionLaughs())));
        assertTrue(e.getMessage().contains("lol9"), e.getMessage());
    }

    @Test
    void notXmlOrNotAFeed() {
        assertTrue(assertThrows(FeedParser.BadFeedException.class, () -> parse("{\"json\":true}")).getMessage()
                .startsWith("not well-formed XML at line 1, column 1"));
        assertTrue(assertThrows(FeedParser.BadFeedException.class, () -> parse("<!DOCTYPE html><html><body>502</body></html>"))
                .getMessage().contains("<html> is not an RSS"));
        assertThrows(FeedParser.BadFeedException.class, () -> parse("<rss><channel><item><title>unclosed</item></channel></rss>"));
        assertThrows(FeedParser.BadFeedException.class, () -> parse("<rss>" + "<a>".repeat(1000) + "</rss>"));
    }
}
