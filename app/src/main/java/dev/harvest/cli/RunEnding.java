package dev.harvest.cli;

import dev.harvest.pipeline.Ending;
import dev.harvest.report.FailedBound;
import dev.harvest.report.RunCounts;

/** How a run ended, as its exit code and as the one-line outcome the summary, the log and stderr show. */
final class RunEnding {
    private RunEnding() {
    }

    /** The exit code: a signal's, 3 for an abort or an unfinished completion, else 0 or 1 by --max-failed. */
    static int exitCode(Ending ending, RunCounts counts, boolean complete, FailedBound maxFailed) {
        return switch (ending) {
            case Ending.Interrupted i -> "INT".equals(i.signal()) ? ExitCode.SIGINT : ExitCode.SIGTERM;
            case Ending.Aborted _ -> ExitCode.ABORTED;
            case Ending.Completed _ -> !complete ? ExitCode.ABORTED
                    : maxFailed.allows(counts.failedTotal(), counts.finished()) ? ExitCode.OK
                    : ExitCode.SOME_FAILED;
        };
    }

    /** The outcome line: completed, aborted (with the cause), or incomplete. */
    static String outcome(Ending ending, RunCounts counts, boolean complete, String closeError) {
        if (closeError != null) {
            return "aborted: cannot finish the output files: " + closeError;
        }
        return switch (ending) {
            case Ending.Interrupted i -> "aborted: " + i.cause();
            case Ending.Aborted a -> "aborted: " + a.cause();
            case Ending.Completed _ -> complete ? "completed"
                    : "incomplete: " + counts.unfinished() + " IDs unfinished after internal errors (see the log)";
        };
    }
}
