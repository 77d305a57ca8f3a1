package dev.harvest.store;

/** The results file's format. */
public enum OutputFormat {
    /** One JSON object per line. */
    JSONL,
    /** RFC 4180 CSV with a header row (needs {@code --fields}). */
    CSV;

    /** The file name extension, without the dot. */
    public String extension() {
        return this == JSONL ? "jsonl" : "csv";
    }
}
