package dev.harvest.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What the previous run got for one ID, as the job's conditional state keeps it: the validators to
 * send, and for a download the file it wrote. A download's validators are only used while that
 * file is still exactly as harvest left it (same path, size and modification time), so a 304 can
 * never vouch for a file that was changed, replaced or deleted since.
 *
 * @param urlHash        hash of the URL requested (the URL itself may hold secrets)
 * @param validators     the response's ETag and Last-Modified
 * @param path           the downloaded file (absolute), or null for a feed
 * @param bytes          its size
 * @param sha256         its SHA-256, hex
 * @param contentType    the response's Content-Type, or null
 * @param modifiedMillis the file's modification time after the rename, in milliseconds
 */
public record LastFetch(String urlHash, Validators validators, String path, long bytes, String sha256,
                        String contentType, long modifiedMillis) {

    /** Whether these validators may be sent for this target now. */
    public boolean fits(Target target) {
        if (validators.isEmpty() || !urlHash.equals(UrlHash.of(target.uri()))) {
            return false;
        }
        if (target.file() == null) {
            return path == null;
        }
        if (path == null || !Path.of(path).equals(target.file().toAbsolutePath().normalize())) {
            return false;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(target.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() && a.size() == bytes && a.lastModifiedTime().toMillis() == modifiedMillis;
        } catch (IOException e) {
            return false;
        }
    }
}
