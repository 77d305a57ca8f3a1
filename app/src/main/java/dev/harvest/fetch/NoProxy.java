package dev.harvest.fetch;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code no_proxy} list, as curl reads it: comma-separated host names, each also matching
 * its subdomains (a leading dot changes nothing), {@code *} for every host, and IP addresses or
 * CIDR ranges matched against URLs whose host is an IP literal (no name is resolved).
 *
 * @param entries the entries, lower case
 */
public record NoProxy(List<String> entries) {
    static NoProxy parse(String text) {
        List<String> l = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            String e = part.strip().toLowerCase(Locale.ROOT);
            if (e.startsWith("[") && e.contains("]")) {
                e = e.substring(1, e.indexOf(']')); // [::1] or [::1]:8080
            } else if (e.indexOf(':') == e.lastIndexOf(':') && e.indexOf(':') > 0) {
                e = e.substring(0, e.indexOf(':')); // host:port, port ignored
            }
            if (e.startsWith(".")) {
                e = e.substring(1);
            }
            if (!e.isEmpty()) {
                l.add(e);
            }
        }
        return new NoProxy(List.copyOf(l));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether a URL's host is reached directly. */
    public boolean matches(String uriHost) {
        String host = uriHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        for (String e : entries) {
            if (e.equals("*") || host.equals(e) || host.endsWith("." + e) || inRange(host, e)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inRange(String host, String entry) {
        int slash = entry.indexOf('/');
        if (slash < 0 || !isIpLiteral(host)) {
            return false;
        }
        try {
            byte[] a = InetAddress.ofLiteral(host).getAddress();
            byte[] net = InetAddress.ofLiteral(entry.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(entry.substring(slash + 1));
            if (a.length != net.length || bits < 0 || bits > a.length * 8) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (net[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false; // not an address or range: a name entry, matched above
        }
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }

    @Override
    public String toString() {
        return String.join(",", entries);
    }
}
