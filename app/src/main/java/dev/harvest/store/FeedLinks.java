package dev.harvest.store;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Resolves a feed's relative references ({@code xml:base}, item links) against the base in force,
 * as RFC 3986 does. What cannot be parsed as a URI is kept as written: a link the feed got wrong
 * is still the feed's data, never dropped.
 */
final class FeedLinks {
    private FeedLinks() {
    }

    /** {@code ref} made absolute against {@code base}; {@code ref} itself when either is unusable. */
    static String resolve(URI base, String ref) {
        if (ref == null || base == null) {
            return ref;
        }
        URI target = resolveUri(base, ref);
        return target == null ? ref : target.toString();
    }

    /** The new base an {@code xml:base} attribute sets, or the old one when it cannot be read. */
    static URI rebase(URI base, String xmlBase) {
        if (xmlBase == null) {
            return base;
        }
        if (base == null) {
            try {
                return new URI(xmlBase.strip());
            } catch (URISyntaxException e) {
                return null;
            }
        }
        URI resolved = resolveUri(base, xmlBase);
        return resolved == null ? base : resolved;
    }

    private static URI resolveUri(URI base, String ref) {
        try {
            URI r = new URI(ref.strip());
            if (r.isAbsolute() || base.isOpaque()) {
                return r.isAbsolute() ? r : null;
            }
            // URI.resolve joins "http://host" + "a" as "http://hosta": give such a base its root path.
            URI b = base.getRawAuthority() != null && (base.getRawPath() == null || base.getRawPath().isEmpty())
                    ? new URI(base.getScheme() + "://" + base.getRawAuthority() + "/") : base;
            return b.resolve(r);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
