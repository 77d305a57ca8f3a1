package dev.harvest.fetch;

import java.nio.file.Path;

/**
 * The shape of a job: where each ID's URL comes from, and what becomes of each body. One pipeline
 * serves every shape; only the last step (what the store stage writes) differs.
 *
 * @param kind        JSON rows, downloaded files, or feed items
 * @param urlColumn   the CSV column holding each row's own URL, or null when {@code --url} is a template
 * @param saveTo      the download directory (only for {@link Kind#DOWNLOAD})
 * @param fileName    how downloaded files are named (only for {@link Kind#DOWNLOAD})
 * @param conditional whether to send the previous run's validators (If-None-Match, If-Modified-Since)
 */
public record JobMode(Kind kind, String urlColumn, Path saveTo, FileNameTemplate fileName, boolean conditional) {

    /** What the store stage makes of a 2xx body. */
    public enum Kind {
        /** The JSON body (or its records) becomes results rows: the classic job. */
        JSON,
        /** The body is streamed to a file in {@code --save-to}; the results list the files. */
        DOWNLOAD,
        /** The body is an RSS or Atom feed; the results hold one row per item. */
        FEED
    }

    /** The classic job: a URL template and JSON bodies. */
    public static JobMode json() {
        return new JobMode(Kind.JSON, null, null, null, false);
    }

    /** Whether each row brings its own URL ({@code --url-column}). */
    public boolean perRowUrls() {
        return urlColumn != null;
    }
}
