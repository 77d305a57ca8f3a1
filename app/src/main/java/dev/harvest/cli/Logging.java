package dev.harvest.cli;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.ErrorHandler;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;

/** Points Log4j at this run's log file and level, and drains it at the end of the run. */
final class Logging {
    /** The file appender's name in harvest's log4j2.xml. */
    private static final String FILE_APPENDER = "file";

    private Logging() {
    }

    /**
     * Starts (or restarts, for a second run in one JVM) logging to {@code file} at {@code level}.
     *
     * @param onFailure told once, with one line, when the log file cannot be written (disk full):
     *                  the run goes on without its log rather than stopping, since the data files
     *                  are what matter, and Log4j's own report (stack traces, repeated) is replaced
     */
    static void start(Path file, String level, Consumer<String> onFailure) {
        System.setProperty("harvest.log.file", file.toAbsolutePath().toString());
        System.setProperty("harvest.log.level", level);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.reconfigure();
        Appender appender = ctx.getConfiguration().getAppender(FILE_APPENDER);
        if (appender != null) {
            appender.setHandler(new ReportOnce(file, onFailure));
        }
    }

    /** Writes out every queued event and closes the log file. */
    static void stop() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        System.setProperty("harvest.log.file", "/dev/null");
        ctx.reconfigure();
    }

    /** An appender error handler that reports the first failure in one line and stays quiet after it. */
    private static final class ReportOnce implements ErrorHandler {
        private final Path file;
        private final Consumer<String> onFailure;
        private final AtomicBoolean reported = new AtomicBoolean();

        ReportOnce(Path file, Consumer<String> onFailure) {
            this.file = file;
            this.onFailure = onFailure;
        }

        @Override
        public void error(String msg) {
            report(null);
        }

        @Override
        public void error(String msg, Throwable t) {
            report(t);
        }

        @Override
        public void error(String msg, LogEvent event, Throwable t) {
            report(t);
        }

        private void report(Throwable t) {
            if (reported.compareAndSet(false, true)) {
                Throwable cause = t;
                while (cause != null && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                onFailure.accept("cannot write the log file " + file + (cause == null ? "" : ": " + cause.getMessage())
                        + "; the run goes on without it");
            }
        }
    }
}
