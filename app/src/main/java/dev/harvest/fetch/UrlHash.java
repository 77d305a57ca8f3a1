package dev.harvest.fetch;

import java.net.URI;

/** A short SHA-256 of a URL: identifies it in state files without storing a query's secrets. */
public final class UrlHash {
    private UrlHash() {
    }

    /** 32 hex digits. */
    public static String of(URI uri) {
        return Sha256.hex(uri.toString(), 16);
    }
}
