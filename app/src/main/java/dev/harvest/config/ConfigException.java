package dev.harvest.config;

/**
 * A usage or configuration problem found before any output exists. Its message is one line that
 * names the problem; the CLI prints it and exits with code 2.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
