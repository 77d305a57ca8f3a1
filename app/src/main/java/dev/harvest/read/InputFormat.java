package dev.harvest.read;

/** How the input file is read. */
public enum InputFormat {
    /** CSV for names ending in {@code .csv}, one ID per line otherwise. */
    AUTO,
    /** One ID per line, taken as written (blanks kept unless --trim); no header unless --input-header. */
    LINES,
    /** RFC 4180 CSV; the ID is in {@code --id-column}. */
    CSV
}
