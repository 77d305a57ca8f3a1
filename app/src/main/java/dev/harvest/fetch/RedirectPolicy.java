package dev.harvest.fetch;

/** Which redirects harvest follows. Credentials never go to another origin. */
public enum RedirectPolicy {
    /** Never follow: a 3xx is a failure ({@code http_3xx}). */
    NEVER,
    /** Follow redirects to the same scheme, host and port (at most 5); fail others. */
    SAME_HOST
}
