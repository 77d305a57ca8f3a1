package dev.harvest.fetch;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A short SHA-256 of a URL: identifies it in state files without storing a query's secrets. */
public final class UrlHash {
    private UrlHash() {
    }

    /** 32 hex digits. */
    public static String of(URI uri) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(uri.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
