package dev.harvest.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An endpoint URL with an {@code {id}} placeholder. The ID is percent-encoded as exactly one path
 * segment: every byte outside RFC 3986's unreserved set is escaped, and a segment that would be
 * {@code .} or {@code ..} has its dots escaped too, so no ID can change the host, the path above
 * it or the query.
 */
public final class UrlTemplate {
    private static final String PLACEHOLDER = "{id}";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String prefix;
    private final String suffix;
    private final URI sample;

    private UrlTemplate(String prefix, String suffix, URI sample) {
        this.prefix = prefix;
        this.suffix = suffix;
        this.sample = sample;
    }

    /**
     * Checks and parses a template.
     *
     * @ when it has no (or several) {@code {id}}, is not an absolute
     *                         http/https URL, has no valid host and port, has {@code {id}} outside
     *                         the path and query, holds credentials or has a fragment
     */
    public static UrlTemplate parse(String template) {
        int at = template.indexOf(PLACEHOLDER);
        if (at < 0) {
            throw new IllegalArgumentException("--url must contain {id}: " + shown(template));
        }
        if (template.indexOf(PLACEHOLDER, at + 1) >= 0) {
            throw new IllegalArgumentException("--url must contain {id} once: " + shown(template));
        }
        String prefix = template.substring(0, at);
        String suffix = template.substring(at + PLACEHOLDER.length());
        URI sample;
        try {
            sample = new URI(prefix + "x" + suffix);
        } catch (URISyntaxException e) {
            // Not e.getMessage(): it repeats the whole URL, query and password included.
            throw new IllegalArgumentException("--url is not a valid URL: " + e.getReason() + " at index " + e.getIndex()
                    + ": " + shown(template));
        }
        String scheme = sample.getScheme() == null ? "" : sample.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("--url must start with http:// or https://: " + shown(template));
        }
        if (sample.getRawFragment() != null) {
            // A fragment is never sent: with {id} in it every ID would fetch the same URL.
            throw new IllegalArgumentException("--url must not have a #fragment (it is never sent to the server)");
        }
        if (sample.isOpaque() || sample.getRawAuthority() == null) {
            throw new IllegalArgumentException("--url has no host: " + shown(template));
        }
        String afterScheme = prefix.substring(prefix.indexOf(':') + 1);
        if (!afterScheme.startsWith("//") || afterScheme.indexOf('/', 2) < 0 && afterScheme.indexOf('?', 2) < 0) {
            throw new IllegalArgumentException("--url must have {id} after the host, in the path or query: " + shown(template));
        }
        String authority = UrlAuthority.problem(sample);
        if (authority != null) {
            throw new IllegalArgumentException("--url: " + authority);
        }
        // java.net.http never sends them: say so instead of failing every request with 401.
        if (sample.getRawUserInfo() != null) {
            throw new IllegalArgumentException("--url must not hold credentials (user:password@host): use --header,"
                    + " --token-env or --token-file: " + shown(template));
        }
        return new UrlTemplate(prefix, suffix, sample);
    }

    /** The URL for one ID. */
    public URI expand(String id) {
        return URI.create(prefix + encodeSegment(id) + suffix);
    }

    /** Scheme, host and port of every URL this template makes, for same-origin checks. */
    public URI origin() {
        return URI.create(sample.getScheme() + "://" + sample.getRawAuthority());
    }

    /** Percent-encodes an ID as one path segment (UTF-8, unreserved characters kept). */
    public static String encodeSegment(String id) {
        if (id.equals(".") || id.equals("..")) {
            return id.replace(".", "%2E");
        }
        if (allUnreserved(id)) {
            return id; // the usual ID: no bytes to encode, nothing to copy
        }
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = null;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (isUnreserved(b)) {
                if (sb != null) {
                    sb.append((char) b);
                }
            } else {
                if (sb == null) {
                    sb = new StringBuilder(bytes.length * 3);
                    for (int j = 0; j < i; j++) {
                        sb.append((char) bytes[j]);
                    }
                }
                sb.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
            }
        }
        return sb == null ? id : sb.toString();
    }

    private static boolean allUnreserved(String id) {
        for (int i = 0; i < id.length(); i++) {
            if (!isUnreserved(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(int b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    /**
     * The values of the template's query parameters (without the one holding {@code {id}}), as
     * written: API keys often travel there, so they are among the job's secrets.
     */
    public List<String> queryValues() {
        String t = prefix + PLACEHOLDER + suffix;
        int q = t.indexOf('?');
        if (q < 0) {
            return List.of();
        }
        int hash = t.indexOf('#', q);
        List<String> values = new ArrayList<>();
        for (String param : t.substring(q + 1, hash < 0 ? t.length() : hash).split("&")) {
            if (!param.contains(PLACEHOLDER)) {
                values.add(param.substring(param.indexOf('=') + 1));
            }
        }
        return values;
    }

    /** The template with any query string hidden, safe to log (queries often carry API keys). */
    @Override
    public String toString() {
        return shown(prefix + PLACEHOLDER + suffix);
    }

    /**
     * A URL as it may be shown: the query string as {@code ?…} and any {@code user:password@} as
     * {@code …@}, so an error message about a bad template never repeats its secrets.
     */
    static String shown(String url) {
        int q = url.indexOf('?');
        String s = q < 0 ? url : url.substring(0, q) + "?…";
        int authority = s.indexOf("://");
        if (authority >= 0) {
            // The last '@' anywhere before the query: a password may hold '/' (the URL is then invalid).
            int at = s.lastIndexOf('@');
            if (at > authority) {
                s = s.substring(0, authority + 3) + "…@" + s.substring(at + 1);
            }
        }
        return s;
    }
}
