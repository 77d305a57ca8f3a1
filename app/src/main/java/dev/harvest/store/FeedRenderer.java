package dev.harvest.store;

import dev.harvest.fetch.FailureReason;
import java.util.List;

/**
 * Feed mode's rendering: parses one feed body ({@link FeedParser}) and writes one results row per
 * item, {@code feed_id,title,link,guid,published}, as CSV or JSON Lines. A feed that cannot be
 * read is rejected as {@code bad_xml} and writes nothing.
 */
final class FeedRenderer {
    static final List<String> COLUMNS = List.of("feed_id", "title", "link", "guid", "published");

    private final FeedParser parser = new FeedParser();
    private final FixedRows rows;

    FeedRenderer(OutputFormat format) {
        this.rows = new FixedRows(COLUMNS, format);
    }

    /** The CSV header line, or null for JSON Lines. */
    String header() {
        return rows.header();
    }

    ResponseRenderer.Rendered render(String feedId, int status, byte[] body, ByteSink sink) {
        if (body.length == 0) {
            return new ResponseRenderer.Rejected(FailureReason.EMPTY_BODY, "HTTP " + status + " with an empty body");
        }
        List<FeedItem> items;
        try {
            items = parser.parse(body);
        } catch (FeedParser.BadFeedException e) {
            return new ResponseRenderer.Rejected(FailureReason.BAD_XML, e.getMessage());
        }
        for (FeedItem item : items) {
            rows.write(sink, feedId, item.title(), item.link(), item.guid(), item.published());
        }
        return new ResponseRenderer.Rows(items.size());
    }
}
