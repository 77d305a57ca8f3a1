package dev.harvest.config;

/** The topics {@code --help}, the man page and the options reference sort the settings under, in that order. */
public enum OptionGroup {
    INPUT("Input"),
    REQUESTS("Requests"),
    FLOW("Retries and flow"),
    OUTPUT("Output"),
    MONITORING("Monitoring"),
    OTHER("Other");

    private final String title;

    OptionGroup(String title) {
        this.title = title;
    }

    /** The heading shown above the group's options, e.g. {@code Retries and flow}. */
    public String title() {
        return title;
    }
}
