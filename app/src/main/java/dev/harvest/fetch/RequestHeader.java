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
    /**
     * Headers the HTTP client owns. The first five are java.net.http's restricted headers (it throws
     * on every request that sets them, unless {@code jdk.httpclient.allowRestrictedHeaders}); the
     * rest are connection-level headers that break the message framing (Transfer-Encoding on a GET
     * makes the server wait for a body) or that HTTP/2 forbids outright.
     */
    private static final Set<String> CLIENT_OWNED = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "keep-alive", "proxy-connection", "te", "trailer", "http2-settings");
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

    /**
     * Why this header cannot be sent, or null when it can. The message never shows the value (it
     * may be a secret).
     */
    public String problem() {
        if (CLIENT_OWNED.contains(key())) {
            return "the HTTP client sets " + name + " itself; harvest cannot send it (refused: Connection,"
                    + " Content-Length, Expect, Host, Upgrade, Transfer-Encoding, Keep-Alive, Proxy-Connection, TE,"
                    + " Trailer, HTTP2-Settings)";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // What java.net.http accepts in a value: tab, visible ASCII and space, and Latin-1.
            if (c != '\t' && (c < 0x20 || c == 0x7f || c > 0xff)) {
                return "the value of " + name + " has a control character or a character beyond U+00FF"
                        + " (at position " + (i + 1) + ")";
            }
        }
        return null;
    }

    /** Lower-case name, for comparisons. */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }
}
