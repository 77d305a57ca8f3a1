package dev.harvest.cli;

import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/** Points Log4j at this run's log file and level, and drains it at the end of the run. */
final class Logging {
    private Logging() {
    }

    /** Starts (or restarts, for a second run in one JVM) logging to {@code file} at {@code level}. */
    static void start(Path file, String level) {
        System.setProperty("harvest.log.file", file.toAbsolutePath().toString());
        System.setProperty("harvest.log.level", level);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.reconfigure();
    }

    /** Writes out every queued event and closes the log file. */
    static void stop() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        System.setProperty("harvest.log.file", "/dev/null");
        ctx.reconfigure();
    }
}
