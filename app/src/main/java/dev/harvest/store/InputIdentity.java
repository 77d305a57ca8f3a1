package dev.harvest.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * What a run's input was, kept in its journal so a resume can tell that the input under the same
 * name is still the same content (the nightly job replaces its input file under one name). Cheap to
 * check: the size, the modification time and a hash of the first {@value #HEAD_BYTES} bytes. A
 * resume skips lines by number, so anything else under the name would skip today's IDs and keep
 * yesterday's. Standard input or a pipe ({@code --input <(...)}) cannot be read twice to check it
 * (reading its head here would even take it from the run), so a run reading one is never resumed.
 *
 * @param stream         the run read standard input or a pipe (the other fields are then unused)
 * @param size           the file's size in bytes
 * @param modifiedMillis the file's modification time
 * @param headSha256     SHA-256 of the file's first bytes, hex
 */
public record InputIdentity(boolean stream, long size, long modifiedMillis, String headSha256) {
    static final int HEAD_BYTES = 1 << 20;
    static final InputIdentity STREAM = new InputIdentity(true, -1, -1, "");

    /** Reads an input file's identity (its first bytes, its size and time); a pipe has none. */
    static InputIdentity of(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return STREAM;
        }
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int left = HEAD_BYTES;
            int n;
            while (left > 0 && (n = in.read(buf, 0, Math.min(buf.length, left))) > 0) {
                sha.update(buf, 0, n);
                left -= n;
            }
        }
        return new InputIdentity(false, size, modified, HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Why this input cannot continue a run that read {@code recorded}, or null when it can.
     *
     * @param shown the input as the user named it, for the message
     */
    String mismatch(InputIdentity recorded, String shown) {
        if (stream || recorded.stream) {
            return "a run reading standard input or a pipe cannot be resumed (harvest cannot check that it is the same input)";
        }
        if (size != recorded.size) {
            return "--input " + shown + " is not the input of the unfinished run: its size changed from "
                    + String.format(Locale.ROOT, "%,d to %,d bytes", recorded.size, size);
        }
        if (modifiedMillis != recorded.modifiedMillis) {
            return "--input " + shown + " is not the input of the unfinished run: it was modified at "
                    + Instant.ofEpochMilli(modifiedMillis) + " (then " + Instant.ofEpochMilli(recorded.modifiedMillis) + ")";
        }
        if (!headSha256.equals(recorded.headSha256)) {
            return "--input " + shown + " is not the input of the unfinished run: its content differs";
        }
        return null;
    }
}
