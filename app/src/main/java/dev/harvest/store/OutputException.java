package dev.harvest.store;

/**
 * The run's output files cannot be set up as the job says (the directory is missing, a file
 * exists, nothing to resume): found before any output exists. Its message is one line naming the
 * problem; the CLI reports it as a usage error.
 */
public final class OutputException extends Exception {
    private static final long serialVersionUID = 1L;

    public OutputException(String message) {
        super(message);
    }
}
