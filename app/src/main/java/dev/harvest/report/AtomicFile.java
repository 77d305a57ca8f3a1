package dev.harvest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Replaces a file's content atomically: a reader (or node_exporter) sees the old file or the new one, never half. */
final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * Writes {@code text} to a temporary file beside {@code target} (same directory, so the rename
     * is atomic; its name does not end in {@code .prom} or {@code .json}, so collectors skip it),
     * then renames it over the target.
     */
    static void write(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the first error is the one to report
            }
            throw new IOException(target + ": " + e, e);
        }
    }
}
