package dev.harvest.fetch;

import java.io.IOException;

/** A download could not be written to the local disk (disk full, permissions): a job problem, not the server's. */
final class LocalWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    LocalWriteException(String message, Throwable cause) {
        super(message, cause);
    }
}
