package dev.harvest.read;

import java.util.Locale;

/** Why an input line was not fetched. Every skipped line is counted in the summary by reason. */
public enum SkipReason {
    /** The header line. */
    HEADER,
    /** An empty or all-blank line. */
    BLANK,
    /** Another shard's ID ({@code --shard}). */
    OTHER_SHARD,
    /** A failed-file row not marked retryable ({@code --only-retryable}). */
    NOT_RETRYABLE;

    /** The name used in summaries: lower case with underscores. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
