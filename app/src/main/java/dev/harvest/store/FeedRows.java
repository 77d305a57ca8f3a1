package dev.harvest.store;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.LastFetch;
import dev.harvest.fetch.Outcome;
import dev.harvest.fetch.Target;
import java.net.URI;
import java.util.List;

/**
 * Feed mode's results: parses one feed body ({@link FeedParser}) and writes one results row per
 * item, {@code feed_id,feed_title,title,link,guid,published,updated,author}, as CSV or JSON Lines.
 * A feed that cannot be read is rejected as {@code bad_xml} and writes nothing.
 */
final class FeedRows implements ResultShape {
    static final List<String> COLUMNS = List.of("feed_id", "feed_title", "title", "link", "guid", "published", "updated",
            "author");

    private final FeedParser parser = new FeedParser();
    private final FixedRows rows;

    FeedRows(OutputFormat format) {
        this.rows = new FixedRows(COLUMNS, format);
    }

    @Override
    public String header() {
        return rows.header();
    }

    /** Renders one feed body; its Content-Type's charset is honoured, relative links resolve against its URL. */
    @Override
    public Rendered render(Outcome o, FetchResult.Response r, ByteSink sink) {
        if (r.body().length == 0) {
            return new Rendered.Rejected(FailureReason.EMPTY_BODY, "HTTP " + r.status() + " with an empty body");
        }
        Feed feed;
        try {
            feed = parser.parse(r.body(), r.contentType(), baseOf(o.target()));
        } catch (FeedParser.BadFeedException e) {
            return new Rendered.Rejected(FailureReason.BAD_XML, e.getMessage());
        }
        for (FeedItem item : feed.items()) {
            rows.write(sink, o.id(), feed.title(), item.title(), item.link(), item.guid(), item.published(),
                    item.updated(), item.author());
        }
        return new Rendered.Rows(feed.items().size());
    }

    @Override
    public FailureReason unrenderable() {
        return FailureReason.BAD_XML;
    }

    /** An unchanged feed's items are in an earlier run's results: none now. */
    @Override
    public int unchanged(Outcome o, LastFetch previous, ByteSink sink) {
        return 0;
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
