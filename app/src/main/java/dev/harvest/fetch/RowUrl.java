package dev.harvest.fetch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks a URL that comes with an input row ({@code --url-column}) by the same rules as a
 * {@code --url} template: an absolute {@code http} or {@code https} URL with a host. Anything else
 * ({@code file:}, {@code ftp:}, {@code javascript:}, a relative path, garbage) is refused before
 * any request, so an input file can never make harvest read local files or speak other protocols.
 * A port outside 1 to 65535 or a host name DNS cannot hold is refused too: such a URL is invalid,
 * not a network failure to retry.
 */
public final class RowUrl {
    /** Longest URL accepted; longer ones are refused rather than sent. */
    static final int MAX_LENGTH = 8192;

    private RowUrl() {
    }

    /** A row's URL cannot be requested; the message never repeats the URL (its query may hold secrets). */
    public static final class InvalidUrlException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidUrlException(String message) {
            super(message);
        }
    }

    /**
     * The URL to request, without any fragment.
     *
     * @throws InvalidUrlException when it is not an absolute http/https URL with a valid host and port
     */
    public static URI parse(String raw) throws InvalidUrlException {
        String text = raw == null ? "" : raw.strip();
        if (text.isEmpty()) {
            throw new InvalidUrlException("no URL in the row");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidUrlException("URL longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidUrlException("not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
        if (uri.getScheme() == null) {
            throw new InvalidUrlException("not an absolute URL (no scheme); only http and https are allowed");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            String shown = scheme.length() > 20 ? scheme.substring(0, 20) + "..." : scheme;
            throw new InvalidUrlException("scheme '" + shown + "' is not allowed; only http and https are");
        }
        if (uri.isOpaque()) {
            throw new InvalidUrlException("no host in the URL");
        }
        String authority = UrlAuthority.problem(uri);
        if (authority != null) {
            throw new InvalidUrlException(authority);
        }
        if (uri.getRawUserInfo() != null) {
            throw new InvalidUrlException("credentials in the URL are not allowed (use --header, --token-env or --token-file)");
        }
        if (uri.getRawFragment() != null) {
            String s = uri.toString();
            uri = URI.create(s.substring(0, s.indexOf('#')));
        }
        return uri;
    }
}
