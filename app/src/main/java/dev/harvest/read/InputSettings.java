package dev.harvest.read;

import java.nio.file.Path;

/**
 * What the read stage needs of a job: which file, how its lines hold IDs, and which of them are
 * this process's.
 *
 * @param path          the input file, or {@code null} for standard input
 * @param format        how to read it (never AUTO once resolved)
 * @param header        whether the first line is a header (default: CSV yes, one ID per line no)
 * @param idColumn      CSV column: a header name, or a 1-based number as text
 * @param maxIdLength   longer lines are invalid IDs
 * @param shard         this process's shard
 * @param onlyRetryable re-run only retryable rows of a failed file
 * @param trim          strip blanks around each ID; by default an ID is taken exactly as written
 * @param urlColumn     the CSV column holding each row's own URL ({@code --url-column}), or null
 */
public record InputSettings(Path path, InputFormat format, boolean header, String idColumn, int maxIdLength,
                            Shard shard, boolean onlyRetryable, boolean trim, String urlColumn) {

    /** Whether each row brings its own URL. */
    public boolean perRowUrls() {
        return urlColumn != null;
    }
}
