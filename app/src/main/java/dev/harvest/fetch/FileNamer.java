package dev.harvest.fetch;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Assigns each download its file in the download directory, in input order. The first line that
 * wants a name gets it; a later line whose safe name is already taken (case-insensitively, so the
 * files stay distinct on case-insensitive file systems too) gets {@code stem~2.ext},
 * {@code stem~3.ext}, ... Because names are assigned in input order, including for lines a resumed
 * run skips, the same input always gives the same names. Used by the pipeline's owner thread only.
 * Memory: one entry per download (about 100 bytes).
 */
public final class FileNamer {
    private final Path dir;
    private final Set<String> taken = new HashSet<>();

    /** @param dir the download directory */
    public FileNamer(Path dir) {
        this.dir = dir;
    }

    /** The file for one download, from its raw (unsanitised) name. */
    public Path assign(String rawName) {
        String name = SafeFileName.of(rawName);
        if (!taken.add(key(name))) {
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot) : "";
            String candidate;
            int n = 2;
            do {
                candidate = stem + "~" + n++ + ext;
            } while (!taken.add(key(candidate)));
            name = candidate;
        }
        // Belt and braces: a safe name is one plain segment directly inside the directory.
        Path segment = Path.of(name);
        if (segment.isAbsolute() || segment.getNameCount() != 1 || name.equals(".") || name.equals("..")) {
            throw new IllegalStateException("unsafe file name escaped sanitising: " + name);
        }
        return dir.resolve(segment);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
