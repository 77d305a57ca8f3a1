package dev.harvest.read;

import java.io.Closeable;
import java.io.IOException;

/** A stream of input lines, read one at a time so any input size runs in bounded memory. */
public interface IdSource extends Closeable {

    /** The next line, or {@code null} at the end of the input. */
    InputLine next() throws IOException;

    /** Bytes consumed so far, for progress. */
    long bytesRead();

    /** The input's size in bytes, or -1 when unknown (standard input). */
    long totalBytes();

    /** The header line as read, or {@code null} when the input has none. */
    String header();
}
