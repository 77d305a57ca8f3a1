package dev.harvest.report;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the machine-readable reports go: the summary JSON beside the results and, with
 * {@code --metrics-file}, the same figures for Prometheus. Both are replaced atomically each time,
 * during the run (heartbeat) and at the end.
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
                AtomicFile.write(metrics, MetricsText.of(s));
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
}
