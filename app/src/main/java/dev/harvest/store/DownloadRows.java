package dev.harvest.store;

import java.util.List;

/**
 * Download mode's results row, one per downloaded (or unchanged) file:
 * {@code id,url,path,bytes,sha256,content_type,http_status}, as CSV or JSON Lines.
 * {@code http_status} is 304 for a file kept because the server said it had not changed.
 */
final class DownloadRows {
    static final List<String> COLUMNS = List.of("id", "url", "path", "bytes", "sha256", "content_type", "http_status");

    private final FixedRows rows;

    DownloadRows(OutputFormat format) {
        this.rows = new FixedRows(COLUMNS, format);
    }

    /** The CSV header line, or null for JSON Lines. */
    String header() {
        return rows.header();
    }

    /** One file's row. */
    void write(String id, String url, String path, long bytes, String sha256, String contentType, int status,
               ByteSink sink) {
        rows.write(sink, id, url, path, bytes, sha256, contentType, status);
    }
}
