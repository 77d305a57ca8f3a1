package dev.harvest.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the files a run writes away from the files it reads and from each other: an output named
 * like the input, the config file or the token file would destroy it (or, for {@code --log},
 * make harvest read its own log as IDs), and two outputs on one file would interleave. Paths are
 * compared as real paths (and existing files by identity), so symbolic links, hard links and
 * {@code ./} spellings do not hide a clash. Also
 * keeps {@code --metrics-file} from replacing a file that is not harvest's own metrics file.
 */
final class OutputPaths {
    /**
     * The first line of every metrics file harvest writes. An existing {@code --metrics-file} is only
     * replaced when it starts with this line (a previous run's metrics).
     */
    static final String METRICS_FIRST_LINE = "# HELP harvest_running ";

    private OutputPaths() {
    }

    /** A file a run reads or writes, as the operator named it. */
    record Named(String flag, Path path) {
    }

    /**
     * Refuses the first output that is the same file as a read file or as another output.
     *
     * @param reads   files the run reads (input, config, token file); null paths are skipped
     * @param outputs files the run writes, each with its in-progress name where it has one
     */
    static void check(List<Named> reads, List<Named> outputs) throws ConfigException {
        List<Named> seen = new ArrayList<>();
        List<Path> seenReal = new ArrayList<>();
        for (Named r : reads) {
            if (r.path() != null) {
                seen.add(r);
                seenReal.add(real(r.path()));
            }
        }
        int readCount = seen.size();
        for (Named o : outputs) {
            if (o.path() == null) {
                continue;
            }
            Path real = real(o.path());
            for (int i = 0; i < seen.size(); i++) {
                if (seenReal.get(i).equals(real) || sameExistingFile(seenReal.get(i), real)) {
                    Named other = seen.get(i);
                    throw new ConfigException(o.flag() + " " + o.path() + " is the same file as " + other.flag() + " "
                            + other.path() + (i < readCount ? " (harvest must not write to a file it reads)"
                            : " (two outputs cannot share a file)") + "; choose another name");
                }
            }
            seen.add(o);
            seenReal.add(real);
        }
    }

    /**
     * Refuses an existing {@code --metrics-file} that is not a regular file, empty or beginning with
     * {@link #METRICS_FIRST_LINE}: harvest replaces that file on every heartbeat, so a mistyped path
     * must not replace a config, an input or a device node.
     */
    static void checkMetricsFile(Path p) throws ConfigException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new ConfigException("--metrics-file " + p + ": exists and is not a regular file (harvest replaces"
                    + " this file; give a new name or a previous metrics file of harvest)");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(p)) {
            head = in.readNBytes(METRICS_FIRST_LINE.length());
        } catch (IOException e) {
            throw new ConfigException("--metrics-file " + p + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        if (head.length > 0 && !new String(head, StandardCharsets.UTF_8).equals(METRICS_FIRST_LINE)) {
            throw new ConfigException("--metrics-file " + p + ": exists and is not a metrics file of harvest (it would"
                    + " be replaced); remove it or give another name");
        }
    }

    /** Two names of one existing file: hard links have different real paths. */
    private static boolean sameExistingFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** The path with every symbolic link resolved; for a file not yet there, its directory's. */
    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            Path parent = abs.getParent();
            try {
                return parent == null ? abs : parent.toRealPath().resolve(abs.getFileName());
            } catch (IOException e2) {
                return abs;
            }
        }
    }
}
