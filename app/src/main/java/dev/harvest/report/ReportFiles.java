package dev.harvest.report;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the machine-readable reports go: the summary JSON beside the results and, with
 * {@code --metrics-file}, the same figures for Prometheus. Both are replaced atomically each time,
 * during the run (heartbeat) and at the end.
 *
 * <p>The metrics' {@code job} label is the name of the directory the summary is in, which is
 * {@code --out}: one directory per job is how harvest keeps jobs apart anyway (their locks, resume
 * journals and stamped files), so the label needs no setting of its own.
 *
 * @param summary the summary file
 * @param metrics the metrics file, or null when none was asked for
 */
public record ReportFiles(Path summary, Path metrics) {

    /** Writes both files; an error in one does not keep the other from being written. */
    public void write(Summary s) throws IOException {
        IOException first = null;
        try {
            s.writeJson(summary);
        } catch (IOException e) {
            first = e;
        }
        if (metrics != null) {
            try {
                String job = jobName();
                AtomicFile.write(metrics, MetricsText.of(s, job, previousSuccess(job)));
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** The {@code job} label: the --out directory's name ({@code harvest} for the root directory). */
    public String jobName() {
        Path dir = summary.toAbsolutePath().normalize().getParent();
        Path name = dir == null ? null : dir.getFileName();
        return name == null ? "harvest" : name.toString();
    }

    // The metrics file before this write: a previous run's, or this run's last heartbeat.
    private Double previousSuccess(String job) throws IOException {
        try {
            return MetricsText.lastSuccess(Files.readString(metrics), job);
        } catch (NoSuchFileException e) {
            return null;
        } catch (CharacterCodingException e) {
            return null; // not a file harvest wrote: it is replaced
        }
    }
}
