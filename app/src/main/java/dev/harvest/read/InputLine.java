package dev.harvest.read;

/**
 * One input line (for CSV, one record) and what it turned out to be. Line numbers count from 1
 * and include the header and blank lines, so they name the line an operator sees in an editor.
 */
public sealed interface InputLine permits InputLine.Id, InputLine.Invalid, InputLine.Skipped {

    /** The 1-based line (CSV: record) number. */
    long number();

    /** An ID to fetch. */
    record Id(long number, String id) implements InputLine {
    }

    /** A line that cannot be an ID; it goes to the failed file as {@code invalid_id}. */
    record Invalid(long number, String id, String why) implements InputLine {
    }

    /** A line that is deliberately not fetched, e.g. the header or a blank line. */
    record Skipped(long number, SkipReason reason) implements InputLine {
    }
}
