package dev.harvest.store;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.LastFetch;
import dev.harvest.fetch.Outcome;
import java.nio.file.Path;

/**
 * What a job's results rows are made of, one implementation per job shape: rows from JSON bodies
 * ({@link JsonRows}), one row per feed item ({@link FeedRows}), one row per downloaded file
 * ({@link DownloadRows}). The store stage hands each outcome to its shape for rows and only
 * writes them; which shape a job has is decided once, here.
 */
sealed interface ResultShape permits JsonRows, FeedRows, DownloadRows {

    /** The shape of the job's results. */
    static ResultShape of(OutputSettings output) {
        return switch (output.mode().kind()) {
            case JSON -> new JsonRows(new ResponseRenderer(output.format(), output.projection()));
            case FEED -> new FeedRows(output.format());
            case DOWNLOAD -> new DownloadRows(output.format());
        };
    }

    /** The results file's CSV header line, or null (JSON Lines). */
    String header();

    /**
     * Renders a body held in memory into the sink; nothing is written to it when the body is
     * rejected. May throw on a body it cannot handle: the store stage then fails the ID as
     * {@link #unrenderable()}.
     */
    Rendered render(Outcome o, FetchResult.Response r, ByteSink sink);

    /** The failure reason of a body {@link #render} threw on. */
    FailureReason unrenderable();

    /**
     * Writes the rows of an ID the server said had not changed since the previous run (HTTP 304).
     *
     * @return the rows written
     */
    int unchanged(Outcome o, LastFetch previous, ByteSink sink);

    /** Whether 2xx bodies are streamed to files ({@link #saved}) rather than held in memory ({@link #render}). */
    default boolean savesFiles() {
        return false;
    }

    /**
     * Writes the row of a body saved to a file, now at its final name {@code file}.
     *
     * @throws IllegalStateException when the shape keeps bodies in memory (only downloads save files)
     */
    default void saved(Outcome o, FetchResult.Saved f, Path file, ByteSink sink) {
        throw new IllegalStateException("a body saved to a file in a " + getClass().getSimpleName() + " job");
    }
}
