package dev.harvest.shape;

/** RSS and Atom samples shared by the feed tests (the same as the parser's unit tests use). */
public final class FeedParserSamples {
    private FeedParserSamples() {
    }

    public static final String RSS = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <channel><title>Channel title is not an item</title><link>https://example.com/</link>
                <atom:link href="https://example.com/feed" rel="self"/>
                <item><title>First &amp; foremost</title><link>https://example.com/1</link>
                  <guid isPermaLink="false">n-1</guid><pubDate>Sun, 22 Nov 2026 03:15:00 GMT</pubDate>
                  <source url="https://other.example/"><title>not the item title</title></source></item>
                <item><title><![CDATA[Second <b>bold</b>]]></title><link>https://example.com/2</link>
                  <dc:date>2026-11-23T10:00:00+01:00</dc:date></item>
                <item><description>no title, no link</description><pubDate>someday</pubDate></item>
              </channel>
            </rss>
            """;

    public static final String ATOM = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>Blog</title><id>urn:blog</id><updated>2026-11-20T00:00:00Z</updated>
              <entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Hello <em>world</em></div></title>
                <link rel="edit" href="https://blog.example.com/edit/1"/>
                <link href="https://blog.example.com/hello"/>
                <id>urn:uuid:1</id><published>2026-11-20T08:00:00+02:00</published><updated>2026-11-21T00:00:00Z</updated></entry>
              <entry><title>Only updated</title><link rel="alternate" href="https://blog.example.com/2"/>
                <id>urn:uuid:2</id><updated>2026-11-21T12:00:00Z</updated></entry>
            </feed>
            """;

    /** Nine levels of ten entity references: 10^9 "lol"s if anything ever expanded it. */
    public static String billionLaughs() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 2; i <= 9; i++) {
            sb.append("<!ENTITY lol").append(i).append(" \"");
            String prev = i == 2 ? "lol" : "lol" + (i - 1);
            sb.append(("&" + prev + ";").repeat(10)).append("\">");
        }
        return sb.append("]><rss><channel><item><title>&lol9;</title></item></channel></rss>").toString();
    }
}
