package dev.harvest.store;

import dev.harvest.read.Shard;
import java.nio.file.Path;

/**
 * Where one run's files go. Default names carry the run's start time (and the shard), e.g.
 * {@code results-20261122-031500.csv}; {@code --results}, {@code --failed} and {@code --log}
 * override them.
 *
 * @param stamp   the run's start time, {@code yyyyMMdd-HHmmss}, with {@code _2}, {@code _3}, ... when
 *                an earlier run in the same directory started in the same second
 * @param results the results file's final name
 * @param failed  the failed file's final name
 * @param log     the log file
 * @param summary the summary file's final name
 * @param journal the resume journal (hidden; deleted when the run completes)
 */
public record RunFiles(String stamp, Path results, Path failed, Path log, Path summary, Path journal) {
    /** {@code --results -}: the results go to standard output. */
    public static final Path STDOUT = Path.of("-");

    /** Whether the results go to standard output ({@code --results -}) rather than a file. */
    public boolean resultsToStdout() {
        return results.equals(STDOUT);
    }

    /** The names for a new run of the job started at {@code stamp}. */
    public static RunFiles plan(OutputSettings output, Shard shard, String stamp) {
        String tag = stamp + JobIdentity.shardSuffix(shard);
        Path out = output.outDir();
        return new RunFiles(stamp,
                output.resultsFile() != null ? output.resultsFile() : out.resolve("results-" + tag + "." + output.format().extension()),
                output.failedFile() != null ? output.failedFile() : out.resolve("failed-" + tag + ".csv"),
                output.logFile() != null ? output.logFile() : out.resolve("harvest-" + tag + ".log"),
                out.resolve("summary-" + tag + ".json"),
                JobIdentity.journal(out, tag));
    }

    /** The in-progress name of the results file. */
    public Path resultsPart() {
        return resultsToStdout() ? results : OutputFile.partOf(results);
    }

    /** The in-progress name of the failed file. */
    public Path failedPart() {
        return OutputFile.partOf(failed);
    }
}
