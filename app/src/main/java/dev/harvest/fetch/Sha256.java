package dev.harvest.fetch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short SHA-256 keys of text: names state files and identifies URLs without storing what they hash. */
public final class Sha256 {
    private Sha256() {
    }

    /** The first {@code bytes} bytes of the SHA-256 of {@code text}'s UTF-8, as lowercase hex. */
    public static String hex(String text, int bytes) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
