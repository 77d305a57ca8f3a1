package dev.harvest.read;

/**
 * The input cannot be read as the job says (missing, a directory, a bad header): found before any
 * output exists. Its message is one line naming the problem; the CLI reports it as a usage error.
 */
public final class InputException extends Exception {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }
}
