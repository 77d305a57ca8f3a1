package dev.harvest.fetch;

import java.net.http.HttpHeaders;

/**
 * A response's cache validators, kept for the next run's conditional request.
 *
 * @param etag         the {@code ETag} header as sent (quotes and {@code W/} included), or null
 * @param lastModified the {@code Last-Modified} header as sent, or null
 */
public record Validators(String etag, String lastModified) {
    private static final int MAX_LENGTH = 1024;

    /** None. */
    public static final Validators NONE = new Validators(null, null);

    /** The validators of a response (absurdly long values are ignored). */
    public static Validators of(HttpHeaders headers) {
        return new Validators(bounded(headers.firstValue("etag").orElse(null)),
                bounded(headers.firstValue("last-modified").orElse(null)));
    }

    private static String bounded(String v) {
        return v == null || v.isBlank() || v.length() > MAX_LENGTH ? null : v.strip();
    }

    /** Whether there is nothing to send. */
    public boolean isEmpty() {
        return etag == null && lastModified == null;
    }
}
