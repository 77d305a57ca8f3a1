package dev.harvest.store;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.LastFetch;
import dev.harvest.fetch.Outcome;

/**
 * The classic job's results: each JSON body becomes one row, or one per record with
 * {@code --records}, with the {@code --fields} picked ({@link ResponseRenderer}).
 */
final class JsonRows implements ResultShape {
    private final ResponseRenderer renderer;

    JsonRows(ResponseRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public String header() {
        return renderer.header();
    }

    @Override
    public Rendered render(Outcome o, FetchResult.Response r, ByteSink sink) {
        return renderer.render(o.id(), r.status(), r.body(), r.contentType(), sink);
    }

    @Override
    public FailureReason unrenderable() {
        return FailureReason.BAD_JSON;
    }

    /** An unchanged body's rows are in an earlier run's results: none now. */
    @Override
    public int unchanged(Outcome o, LastFetch previous, ByteSink sink) {
        return 0;
    }
}
