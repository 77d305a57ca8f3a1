package dev.harvest.cli;

import dev.harvest.config.FailedBound;
import dev.harvest.pipeline.Ending;
import dev.harvest.report.RunStats;

/** How a run ended, as its exit code and as the one-line outcome the summary, the log and stderr show. */
final class RunEnding {
    private RunEnding() {
    }

    /** The exit code: a signal's, 3 for an abort or an unfinished completion, else 0 or 1 by --max-failed. */
    static int exitCode(Ending ending, RunStats stats, boolean complete, FailedBound maxFailed) {
        return switch (ending.kind()) {
            case INTERRUPTED -> "INT".equals(ending.signal()) ? ExitCode.SIGINT : ExitCode.SIGTERM;
            case ABORTED -> ExitCode.ABORTED;
            case COMPLETED -> !complete ? ExitCode.ABORTED
                    : maxFailed.allows(stats.failedTotal(), stats.ok() + stats.failedTotal()) ? ExitCode.OK
                    : ExitCode.SOME_FAILED;
        };
    }

    /** The outcome line: completed, aborted (with the cause), or incomplete. */
    static String outcome(Ending ending, RunStats stats, boolean complete, String closeError) {
        if (closeError != null) {
            return "aborted: cannot finish the output files: " + closeError;
        }
        return switch (ending.kind()) {
            case INTERRUPTED, ABORTED -> "aborted: " + ending.cause();
            case COMPLETED -> complete ? "completed"
                    : "incomplete: " + stats.abandoned() + " IDs unfinished after internal errors (see the log)";
        };
    }
}
