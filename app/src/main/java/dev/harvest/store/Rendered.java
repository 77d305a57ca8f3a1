package dev.harvest.store;

import dev.harvest.fetch.FailureReason;

/** What rendering one body gave: rows written to the sink, or why the body was rejected (nothing written). */
sealed interface Rendered permits Rendered.Rows, Rendered.Rejected {
    /** @param count rows written (0 for an empty records array or feed) */
    record Rows(int count) implements Rendered {
    }

    /** @param message why, for the failed file */
    record Rejected(FailureReason reason, String message) implements Rendered {
    }
}
