package dev.harvest.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.harvest.fetch.FailureReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Feed mode's rendering: parses one feed body ({@link FeedParser}) and writes one results row per
 * item, {@code feed_id,title,link,guid,published}, as CSV or JSON Lines. A feed that cannot be
 * read is rejected as {@code bad_xml} and writes nothing.
 */
final class FeedRenderer {
    static final List<String> COLUMNS = List.of("feed_id", "title", "link", "guid", "published");

    private final FeedParser parser = new FeedParser();
    private final JsonFactory json = new JsonFactory();
    private final OutputFormat format;

    FeedRenderer(OutputFormat format) {
        this.format = format;
    }

    /** The CSV header line, or null for JSON Lines. */
    String header() {
        return format == OutputFormat.CSV ? Csv.row(COLUMNS.toArray(String[]::new)) : null;
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
            if (format == OutputFormat.CSV) {
                byte[] row = Csv.row(feedId, item.title(), item.link(), item.guid(), item.published())
                        .getBytes(StandardCharsets.UTF_8);
                sink.write(row, 0, row.length);
            } else {
                writeJson(feedId, item, sink);
            }
        }
        return new ResponseRenderer.Rows(items.size());
    }

    private void writeJson(String feedId, FeedItem item, ByteSink sink) {
        try (JsonGenerator g = json.createGenerator(sink, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("feed_id", feedId);
            g.writeStringField("title", item.title());
            g.writeStringField("link", item.link());
            g.writeStringField("guid", item.guid());
            g.writeStringField("published", item.published());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        sink.write('\n');
    }
}
