package dev.harvest.store;

import dev.harvest.fetch.JobMode;
import java.nio.file.Path;

/**
 * What the store stage needs of a job: where the run's files go, how results rows look, and
 * whether to continue an unfinished run.
 *
 * @param outDir      output directory
 * @param resultsFile explicit results file ({@code -} for standard output), or null for the stamped default
 * @param failedFile  explicit failed file, or null
 * @param logFile     explicit log file, or null
 * @param format      results format
 * @param projection  rows to write per response
 * @param resume      continue an unfinished run
 * @param mode        the job's shape: what a 2xx body becomes (JSON rows, a file, feed items)
 */
public record OutputSettings(Path outDir, Path resultsFile, Path failedFile, Path logFile, OutputFormat format,
                             Projection projection, ResumeMode resume, JobMode mode) {

    /** Whether the results go to standard output ({@code --results -}). */
    public boolean resultsToStdout() {
        return resultsFile != null && resultsFile.toString().equals("-");
    }
}
