package dev.harvest.fetch;

import java.util.Locale;
import java.util.Set;

/**
 * One extra request header. Its value is treated as a secret (never shown, and scrubbed from
 * every message harvest writes) unless the header is on a short list of harmless ones: guessing
 * by name misses {@code X-Passphrase}, {@code X-Jwt} or {@code X-Hub-Signature-256}.
 *
 * @param name  the header name
 * @param value the header value
 */
public record RequestHeader(String name, String value) {
    /** Headers whose values describe the request's form, never who sends it (lower case). */
    private static final Set<String> HARMLESS = Set.of("accept", "accept-charset", "accept-encoding",
            "accept-language", "cache-control", "content-language", "content-type", "pragma", "user-agent");

    /** Whether the value must be redacted wherever it is shown: every header not known to be harmless. */
    public boolean isSensitive() {
        return !HARMLESS.contains(key());
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
