package dev.harvest.fetch;

/**
 * A bearer token. Its {@code toString} never shows the value, so it cannot leak into a log line,
 * a summary or an error message by accident.
 *
 * @param value  the token
 * @param source where it was read from (an environment variable's or a file's name), for logs
 */
public record BearerToken(String value, String source) {

    /** The Authorization header value. */
    public String headerValue() {
        return "Bearer " + value;
    }

    @Override
    public String toString() {
        return "<redacted token from " + source + ">";
    }
}
