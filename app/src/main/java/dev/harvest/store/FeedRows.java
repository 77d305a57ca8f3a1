package dev.harvest.store;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.Target;
import java.net.URI;
import java.util.List;

/**
 * Feed mode's rendering: parses one feed body ({@link FeedParser}) and writes one results row per
 * item, {@code feed_id,feed_title,title,link,guid,published,updated,author}, as CSV or JSON Lines.
 * A feed that cannot be read is rejected as {@code bad_xml} and writes nothing.
 */
final class FeedRenderer {
    static final List<String> COLUMNS = List.of("feed_id", "feed_title", "title", "link", "guid", "published", "updated",
            "author");

    private final FeedParser parser = new FeedParser();
    private final FixedRows rows;

    FeedRenderer(OutputFormat format) {
        this.rows = new FixedRows(COLUMNS, format);
    }

    /** The CSV header line, or null for JSON Lines. */
    String header() {
        return rows.header();
    }

    /**
     * Renders one feed body.
     *
     * @param contentType the response's Content-Type (its charset is honoured), or null
     * @param target      where the feed was fetched from (relative links resolve against it), or null
     */
    ResponseRenderer.Rendered render(String feedId, int status, byte[] body, String contentType, Target target,
                                     ByteSink sink) {
        if (body.length == 0) {
            return new ResponseRenderer.Rejected(FailureReason.EMPTY_BODY, "HTTP " + status + " with an empty body");
        }
        Feed feed;
        try {
            feed = parser.parse(body, contentType, baseOf(target));
        } catch (FeedParser.BadFeedException e) {
            return new ResponseRenderer.Rejected(FailureReason.BAD_XML, e.getMessage());
        }
        for (FeedItem item : feed.items()) {
            rows.write(sink, feedId, feed.title(), item.title(), item.link(), item.guid(), item.published(),
                    item.updated(), item.author());
        }
        return new ResponseRenderer.Rows(feed.items().size());
    }

    /**
     * The base for a feed's relative links: the URL it was fetched from, without its query when the
     * shown URL hides it (a link resolved against it must not carry a secret query into the results).
     */
    static URI baseOf(Target target) {
        if (target == null) {
            return null;
        }
        URI u = target.uri();
        if (u.getRawQuery() == null || target.shown().equals(u.toString())) {
            return u;
        }
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + u.getRawPath());
    }
}
