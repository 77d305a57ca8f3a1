package dev.harvest.read;

/**
 * One input line (for CSV, one record) and what it turned out to be. Line numbers count from 1
 * and include the header and blank lines, so they name the line an operator sees in an editor.
 */
public sealed interface InputLine permits InputLine.Id, InputLine.Invalid, InputLine.Skipped {

    /** The 1-based line (CSV: record) number. */
    long number();

    /**
     * An ID to fetch.
     *
     * @param number the line number
     * @param id     the ID
     * @param url    the row's own URL with {@code --url-column} (unchecked: the fetch step checks it), else null
     */
    record Id(long number, String id, String url) implements InputLine {
        /** An ID whose URL comes from the {@code --url} template. */
        public Id(long number, String id) {
            this(number, id, null);
        }
    }

    /** A line that cannot be an ID; it goes to the failed file as {@code invalid_id}. */
    record Invalid(long number, String id, String why) implements InputLine {
    }

    /** A line that is deliberately not fetched, e.g. the header or a blank line. */
    record Skipped(long number, SkipReason reason) implements InputLine {
    }
}
