package dev.harvest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Feeds as the web writes them: every RSS and Atom version, namespaced RSS, xml:base and the feed's
 * own URL, declared and HTTP charsets, and the feed-level fields. A feed with items never parses to
 * nothing. Samples written for this test, after the shapes of a public feed-parser corpus.
 */
class FeedDialectsTest {
    private final FeedParser parser = new FeedParser();

    private Feed parse(String xml) throws FeedParser.BadFeedException {
        return parser.parse(xml.getBytes(StandardCharsets.UTF_8), null, null);
    }

    private static FeedItem item(String title, String link) {
        return new FeedItem(title, link, null, null, null, null);
    }

    @Test
    void rss090InItsOwnNamespace() throws Exception {
        Feed f = parse("""
                <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
                  <channel><title>Old</title><link>http://example.com/</link></channel>
                  <item><title>One</title><link>http://example.com/1</link></item>
                  <item><title>Two</title><link>http://example.com/2</link></item>
                </rdf:RDF>""");
        assertEquals("Old", f.title());
        assertEquals(List.of(item("One", "http://example.com/1"), item("Two", "http://example.com/2")), f.items());
    }

    @Test
    void rss091And092WithoutNamespace() throws Exception {
        for (String version : List.of("0.91", "0.92", "2.0")) {
            Feed f = parse("<rss version=\"" + version + "\"><channel><title>C</title><item><title>T</title>"
                    + "<link>http://example.com/t</link><author>a@example.com (Ann)</author></item></channel></rss>");
            assertEquals(List.of(new FeedItem("T", "http://example.com/t", null, null, null, "a@example.com (Ann)")),
                    f.items(), version);
            assertEquals("C", f.title());
        }
    }

    @Test
    void rss2InTheUserlandAndHarvardNamespaces() throws Exception {
        for (String ns : List.of("http://backend.userland.com/rss2", "http://blogs.law.harvard.edu/tech/rss")) {
            Feed f = parse("<rss version=\"2.0\" xmlns=\"" + ns + "\"><channel><title>U</title>"
                    + "<item><title>Namespaced</title><guid>g1</guid></item></channel></rss>");
            assertEquals(List.of(new FeedItem("Namespaced", null, "g1", null, null, null)), f.items(), ns);
            assertEquals("U", f.title());
        }
    }

    @Test
    void atom03Entries() throws Exception {
        Feed f = parse("""
                <feed version="0.3" xmlns="http://purl.org/atom/ns#">
                  <title>Atom 0.3</title>
                  <entry><title>E</title><link rel="alternate" type="text/html" href="http://example.org/e"/>
                    <id>tag:example.org,2003:3.2397</id><issued>2003-12-13T08:29:29-04:00</issued>
                    <modified>2003-12-13T18:30:02Z</modified><author><name>Mark</name></author></entry>
                </feed>""");
        assertEquals("Atom 0.3", f.title());
        assertEquals(List.of(new FeedItem("E", "http://example.org/e", "tag:example.org,2003:3.2397",
                "2003-12-13T12:29:29Z", "2003-12-13T18:30:02Z", "Mark")), f.items());
    }

    @Test
    void atom10AuthorUpdatedAndFeedTitle() throws Exception {
        Feed f = parse("""
                <feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title><author><name>Feed author</name></author>
                  <entry><title>E</title><id>urn:e</id><updated>2026-01-02T03:04:05Z</updated>
                    <author><name>Eve</name><email>eve@example.com</email></author></entry></feed>""");
        assertEquals("Blog", f.title());
        assertEquals(List.of(new FeedItem("E", null, "urn:e", "2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z", "Eve")),
                f.items());
    }

    @Test
    void dublinCoreFallbacks() throws Exception {
        Feed f = parse("""
                <rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><dc:title>DC channel</dc:title>
                  <item><dc:title>DC title</dc:title><dc:creator>Dee</dc:creator><dc:date>2026-03-04T05:06:07Z</dc:date></item>
                </channel></rss>""");
        assertEquals("DC channel", f.title());
        assertEquals(List.of(new FeedItem("DC title", null, null, "2026-03-04T05:06:07Z", "2026-03-04T05:06:07Z", "Dee")),
                f.items());
    }

    @Test
    void aFeedWithItemsHarvestCannotReadIsAnErrorNotZeroRows() {
        String foreign = "<rss version=\"2.0\"><channel><x:item xmlns:x=\"urn:other\"><x:title>t</x:title></x:item>"
                + "</channel></rss>";
        FeedParser.BadFeedException e = assertThrows(FeedParser.BadFeedException.class, () -> parse(foreign));
        assertTrue(e.getMessage().contains("<item>") && e.getMessage().contains("urn:other"), e.getMessage());
    }

    @Test
    void anEmptyFeedIsStillOk() throws Exception {
        assertEquals(List.of(), parse("<rss version=\"2.0\"><channel><title>nothing yet</title></channel></rss>").items());
    }

    @Test
    void relativeLinksResolveAgainstXmlBaseAndTheFeedUrl() throws Exception {
        String xml = """
                <feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/blog/">
                  <entry><link href="posts/1"/></entry>
                  <entry xml:base="/other/"><link href="2"/></entry>
                  <entry><link xml:base="http://cdn.example.net/x/" href="../y"/></entry>
                  <entry><link href="http://absolute.example/z"/></entry>
                </feed>""";
        List<String> links = parser.parse(xml.getBytes(StandardCharsets.UTF_8), null, null).items().stream()
                .map(FeedItem::link).toList();
        assertEquals(List.of("http://example.org/blog/posts/1", "http://example.org/other/2", "http://cdn.example.net/y",
                "http://absolute.example/z"), links);

        String rss = "<rss version=\"2.0\"><channel><item><link>/relative/uri</link></item>"
                + "<item xml:base=\"sub/\"><link>page.html</link></item></channel></rss>";
        List<String> fromUrl = parser.parse(rss.getBytes(StandardCharsets.UTF_8), null,
                URI.create("https://news.example.com/feeds/main.xml")).items().stream().map(FeedItem::link).toList();
        assertEquals(List.of("https://news.example.com/relative/uri", "https://news.example.com/feeds/sub/page.html"), fromUrl);

        String hostOnly = "<rss version=\"2.0\"><channel><item><link>a</link></item></channel></rss>";
        assertEquals("https://h.example/a", parser.parse(hostOnly.getBytes(StandardCharsets.UTF_8), null,
                URI.create("https://h.example")).items().getFirst().link());
    }

    @Test
    void aLinkThatIsNotAUriIsKeptAsWritten() throws Exception {
        String rss = "<rss version=\"2.0\"><channel><item><link>not a [uri]</link></item></channel></rss>";
        assertEquals("not a [uri]", parser.parse(rss.getBytes(StandardCharsets.UTF_8), null,
                URI.create("https://h.example/f")).items().getFirst().link());
    }

    /** Over 30 encodings a full JDK reads, each declared in the XML declaration, with text only it can encode. */
    static final List<String> DECLARED = List.of("UTF-8", "UTF-16", "UTF-16BE", "UTF-16LE", "ISO-8859-1", "ISO-8859-2",
            "ISO-8859-5", "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "ISO-8859-13", "ISO-8859-15", "windows-1250",
            "windows-1251", "windows-1252", "windows-1253", "windows-1254", "windows-1255", "windows-1256",
            "windows-1257", "windows-1258", "KOI8-R", "KOI8-U", "Shift_JIS", "EUC-JP", "ISO-2022-JP", "EUC-KR",
            "GB2312", "GBK", "GB18030", "Big5", "Big5-HKSCS", "TIS-620", "IBM037", "IBM437", "IBM850", "IBM866",
            "x-MacRoman", "US-ASCII");

    /** A title each encoding can carry: ASCII plus, where the charset has one, a letter of its own script. */
    static String titleFor(Charset cs) {
        List<String> tries = List.of("caf\u00e9", "\u017e\u0161", "\u0436\u0443\u043a", "\u03b1\u03b2", "\u05e9\u05dc",
                "\u0645\u0631", "\u65e5\u672c", "\ud55c\uad6d", "\u0e44\u0e17", "\u1ea1");
        StringBuilder t = new StringBuilder("Title");
        for (String s : tries) {
            if (cs.newEncoder().canEncode(s)) {
                t.append(' ').append(s);
                break;
            }
        }
        return t.toString();
    }

    @Test
    void declaredEncodingsTheJdkKnows() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String name : DECLARED) {
            Charset cs = Charset.forName(name);
            String title = titleFor(cs);
            String xml = "<?xml version=\"1.0\" encoding=\"" + name + "\"?><rss version=\"2.0\"><channel><item><title>"
                    + title + "</title></item></channel></rss>";
            byte[] body = xml.getBytes(cs);
            try {
                String got = parser.parse(body, null, null).items().getFirst().title();
                if (!title.equals(got)) {
                    wrong.add(name + ": " + got);
                }
            } catch (FeedParser.BadFeedException e) {
                wrong.add(name + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(DECLARED.size() >= 30);
    }

    @Test
    void commonAliasesTheWebUses() throws Exception {
        for (String alias : List.of("cp1252", "windows_1252", "WINDOWS-1252", "win-1252", "latin1", "utf8", "latin-1")) {
            String xml = "<?xml version=\"1.0\" encoding=\"" + alias + "\"?><rss><channel><item><title>caf\u00e9</title>"
                    + "</item></channel></rss>";
            Charset cs = alias.startsWith("utf") ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
            assertEquals("caf\u00e9", parser.parse(xml.getBytes(cs), null, null).items().getFirst().title(), alias);
        }
    }

    @Test
    void theHttpCharsetWinsOverTheDeclarationAndTheBomWinsOverBoth() throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><item><title>\u0436</title></item></channel></rss>";
        byte[] koi8 = xml.getBytes(Charset.forName("KOI8-R"));
        assertEquals("\u0436", parser.parse(koi8, "application/rss+xml; charset=\"koi8-r\"", null).items().getFirst().title());

        byte[] utf8 = xml.getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[utf8.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, withBom, 3, utf8.length);
        assertEquals("\u0436", parser.parse(withBom, "text/xml; charset=iso-8859-1", null).items().getFirst().title());
    }

    @Test
    void bytesInvalidForTheEncodingOrAnUnknownEncodingFailClearly() {
        byte[] bad = "<rss><channel><item><title>\u00ff</title></item></channel></rss>".getBytes(StandardCharsets.ISO_8859_1);
        FeedParser.BadFeedException e = assertThrows(FeedParser.BadFeedException.class, () -> parser.parse(bad, null, null));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
        String unknown = "<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?><rss/>";
        e = assertThrows(FeedParser.BadFeedException.class, () -> parse(unknown));
        assertTrue(e.getMessage().contains("unknown character encoding 'x-no-such-charset'"), e.getMessage());
    }

    /** The JDK's XML scanner prints "[Fatal Error] ..." on stderr for some bodies; harvest's stderr must stay quiet. */
    @Test
    void brokenBodiesPrintNothingOnStderr() throws Exception {
        List<byte[]> bodies = List.of(
                "<rss><channel><item><title>\u00ff</title></item></channel></rss>".getBytes(StandardCharsets.ISO_8859_1),
                "<rss><channel><item><title>\u0001</title></item></channel></rss>".getBytes(StandardCharsets.UTF_8),
                "<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?><rss><channel><item><title>\u00ff</title></item></channel></rss>"
                        .getBytes(StandardCharsets.ISO_8859_1),
                "<rss><channel><item><title>unclosed</item></channel></rss>".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xFF, (byte) 0xFE, '<', 0, 'r', 0},
                "\u0000\u0000<rss/>".getBytes(StandardCharsets.UTF_8));
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            for (byte[] b : bodies) {
                assertThrows(FeedParser.BadFeedException.class, () -> parser.parse(b, null, null));
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void utf32WithAndWithoutByteOrderMark() throws Exception {
        String xml = "<?xml version=\"1.0\"?><rss><channel><item><title>\u0436\ud83d\ude00</title></item></channel></rss>";
        for (String cs : List.of("UTF-32BE", "UTF-32LE")) {
            byte[] plain = xml.getBytes(Charset.forName(cs));
            assertEquals("\u0436\ud83d\ude00", parser.parse(plain, null, null).items().getFirst().title(), cs);
            byte[] bom = ("\ufeff" + xml).getBytes(Charset.forName(cs));
            assertEquals("\u0436\ud83d\ude00", parser.parse(bom, null, null).items().getFirst().title(), cs + " with BOM");
        }
    }

    @Test
    void preAtomDraftNamespacesAreAtom() throws Exception {
        for (String ns : List.of("http://purl.org/echo/", "http://purl.org/pie/", "http://example.com/necho")) {
            Feed f = parse("<feed xmlns=\"" + ns + "\"><title>Draft</title><entry><title>E</title></entry></feed>");
            assertEquals(List.of(item("E", null)), f.items(), ns);
        }
    }

    @Test
    void itemsOfTheWrongKindNameThemselves() {
        String atomWithItems = "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><item><title>t</title></item></feed>";
        FeedParser.BadFeedException e = assertThrows(FeedParser.BadFeedException.class, () -> parse(atomWithItems));
        assertTrue(e.getMessage().startsWith("1 <item> element(s) in namespace http://purl.org/atom/ns# are not items"),
                e.getMessage());
    }
}
