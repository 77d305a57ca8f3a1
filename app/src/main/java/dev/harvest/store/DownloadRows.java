package dev.harvest.store;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.LastFetch;
import dev.harvest.fetch.Outcome;
import java.nio.file.Path;
import java.util.List;

/**
 * Download mode's results: one row per downloaded (or unchanged) file,
 * {@code id,url,path,bytes,sha256,content_type,http_status}, as CSV or JSON Lines.
 * {@code http_status} is 304 for a file kept because the server said it had not changed.
 */
final class DownloadRows implements ResultShape {
    static final List<String> COLUMNS = List.of("id", "url", "path", "bytes", "sha256", "content_type", "http_status");

    private final FixedRows rows;

    DownloadRows(OutputFormat format) {
        this.rows = new FixedRows(COLUMNS, format);
    }

    @Override
    public String header() {
        return rows.header();
    }

    /** Download mode streams every 2xx body to a file, so none reaches here held in memory. */
    @Override
    public Rendered render(Outcome o, FetchResult.Response r, ByteSink sink) {
        throw new IllegalStateException("HTTP " + r.status() + " body held in memory in download mode");
    }

    @Override
    public FailureReason unrenderable() {
        return FailureReason.BAD_JSON;
    }

    /** The file kept from the previous run, as it was recorded then. */
    @Override
    public int unchanged(Outcome o, LastFetch previous, ByteSink sink) {
        rows.write(sink, o.id(), o.target().shown(), o.target().file().toString(), previous.bytes(), previous.sha256(),
                previous.contentType(), 304);
        return 1;
    }

    @Override
    public boolean savesFiles() {
        return true;
    }

    @Override
    public void saved(Outcome o, FetchResult.Saved f, Path file, ByteSink sink) {
        rows.write(sink, o.id(), o.target().shown(), file.toString(), f.bytes(), f.sha256(), f.contentType(), f.status());
    }
}
