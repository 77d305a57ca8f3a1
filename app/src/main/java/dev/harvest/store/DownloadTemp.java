package dev.harvest.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Where download bodies are streamed before the store stage renames them to their final names: a
 * hidden directory inside {@code --save-to} (same file system, so the rename is atomic), one per
 * job ({@link JobIdentity#downloadTemp}). Only this job, under its lock, ever writes there, so
 * whatever a killed run left in it is safe to delete when the job starts again.
 */
final class DownloadTemp {
    private static final Logger LOG = LogManager.getLogger(DownloadTemp.class);

    private DownloadTemp() {
    }

    /** Creates the directory, or empties it of an interrupted run's partial downloads. */
    static Path prepare(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir);
            return dir;
        }
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        }
        if (removed > 0) {
            LOG.info("removed {} partial download(s) left in {} by an interrupted run", removed, dir);
        }
        return dir;
    }

    /** Removes the directory once the run is complete (it is empty then); a leftover is harmless. */
    static void remove(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
