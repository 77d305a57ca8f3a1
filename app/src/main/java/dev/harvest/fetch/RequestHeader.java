package dev.harvest.fetch;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One extra request header. Values of headers whose names suggest a credential are never shown.
 *
 * @param name  the header name
 * @param value the header value
 */
public record RequestHeader(String name, String value) {
    private static final Pattern SENSITIVE =
            Pattern.compile("(?i).*(auth|token|key|secret|cookie|password|session|credential).*");

    /** Whether the value must be redacted wherever it is shown. */
    public boolean isSensitive() {
        return SENSITIVE.matcher(name).matches();
    }

    /** The header as it may appear in logs and summaries. */
    @Override
    public String toString() {
        return name + ": " + (isSensitive() ? "<redacted>" : value);
    }

    /** Parses {@code Name: value}; null when the text has no name. */
    public static RequestHeader parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String name = text.substring(0, colon).strip();
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
            return null;
        }
        return new RequestHeader(name, text.substring(colon + 1).strip());
    }

    /** Lower-case name, for comparisons. */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }
}
