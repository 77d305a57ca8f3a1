package dev.harvest.cli;

import dev.harvest.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --out} directory: created when missing, by {@code harvest run} and {@code harvest demo}
 * alike (as curl's --create-dirs and most tools' output directories), and removed again when the
 * run that created it stops with a setup error, so that exit 2 still leaves nothing behind.
 */
final class OutDir {
    private OutDir() {
    }

    /**
     * Creates {@code dir} and any missing parents.
     *
     * @return the topmost directory this created, or null when {@code dir} was already there
     */
    static Path create(Path dir) throws ConfigException {
        if (Files.isDirectory(dir)) {
            return null;
        }
        if (Files.exists(dir)) {
            throw new ConfigException("--out " + dir + ": exists and is not a directory");
        }
        Path topmost = dir.toAbsolutePath().normalize();
        while (topmost.getParent() != null && !Files.exists(topmost.getParent())) {
            topmost = topmost.getParent();
        }
        try {
            Files.createDirectories(dir);
            return topmost;
        } catch (IOException e) {
            throw new ConfigException("--out " + dir + ": cannot create it (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
    }

    /** Removes what {@link #create} made, from {@code dir} up to {@code topmost}, as long as each is empty. */
    static void removeCreated(Path dir, Path topmost) {
        if (topmost == null) {
            return;
        }
        for (Path p = dir.toAbsolutePath().normalize(); p != null && p.startsWith(topmost); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // not empty (or not ours to remove): leave it and what holds it
            }
        }
    }
}
