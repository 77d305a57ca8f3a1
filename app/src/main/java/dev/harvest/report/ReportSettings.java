package dev.harvest.report;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a run reports and how: the log, the terminal, the metrics file, and when some failed IDs
 * still make a successful run.
 *
 * @param logLevel         log level name
 * @param quiet            no progress or summary on the terminal
 * @param progress         {@code --progress} (true) / {@code --no-progress} (false) force the live progress line; null: when stderr is a terminal
 * @param progressInterval log progress period
 * @param metricsFile      Prometheus text file to keep up to date, or null
 * @param maxFailed        failed IDs a completed run may have and still exit 0
 */
public record ReportSettings(String logLevel, boolean quiet, Boolean progress, Duration progressInterval,
                             Path metricsFile, FailedBound maxFailed) {
}
