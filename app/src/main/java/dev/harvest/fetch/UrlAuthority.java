package dev.harvest.fetch;

import java.net.URI;

/**
 * Checks the host and port of an http/https URL beyond what {@link URI} parses: a port must be
 * 1 to 65535 and a host name must fit DNS (labels of at most 63 characters, 253 in all). A URL that
 * fails here could never be fetched, so it is refused as invalid rather than tried as a network
 * failure (which would be retried and count towards the circuit).
 */
final class UrlAuthority {
    private UrlAuthority() {
    }

    /** Why the URL's host or port cannot work, or null when they can. Never repeats the URL. */
    static String problem(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            // URI falls back to a registry-based authority when host or port do not parse
            // (h:99999999999, ho_st, a..b, 999.1.1.1).
            return uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty() ? "no host in the URL"
                    : "the host or port is not valid";
        }
        int port = uri.getPort();
        if (port != -1 && (port < 1 || port > 65_535)) {
            return "port " + port + " is out of range (1 to 65535)";
        }
        if (!host.startsWith("[")) {
            String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            if (name.length() > 253) {
                return "the host name is longer than 253 characters";
            }
            for (String label : name.split("\\.")) {
                if (label.length() > 63) {
                    return "a label of the host name is longer than 63 characters";
                }
            }
        }
        return null;
    }
}
