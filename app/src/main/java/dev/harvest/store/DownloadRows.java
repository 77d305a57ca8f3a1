package dev.harvest.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Download mode's results row, one per downloaded (or unchanged) file:
 * {@code id,url,path,bytes,sha256,content_type,http_status}, as CSV or JSON Lines.
 * {@code http_status} is 304 for a file kept because the server said it had not changed.
 */
final class DownloadRows {
    static final List<String> COLUMNS = List.of("id", "url", "path", "bytes", "sha256", "content_type", "http_status");

    private final JsonFactory json = new JsonFactory();
    private final OutputFormat format;

    DownloadRows(OutputFormat format) {
        this.format = format;
    }

    /** The CSV header line, or null for JSON Lines. */
    String header() {
        return format == OutputFormat.CSV ? Csv.row(COLUMNS.toArray(String[]::new)) : null;
    }

    /** One file's row. */
    void write(String id, String url, String path, long bytes, String sha256, String contentType, int status,
               ByteSink sink) {
        if (format == OutputFormat.CSV) {
            byte[] row = Csv.row(id, url, path, String.valueOf(bytes), sha256, contentType, String.valueOf(status))
                    .getBytes(StandardCharsets.UTF_8);
            sink.write(row, 0, row.length);
            return;
        }
        try (JsonGenerator g = json.createGenerator(sink, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("url", url);
            g.writeStringField("path", path);
            g.writeNumberField("bytes", bytes);
            g.writeStringField("sha256", sha256);
            g.writeStringField("content_type", contentType);
            g.writeNumberField("http_status", status);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        sink.write('\n');
    }
}
