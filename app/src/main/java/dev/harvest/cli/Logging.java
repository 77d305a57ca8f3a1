package dev.harvest.cli;

import dev.harvest.fetch.Secrets;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.ErrorHandler;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.appender.rewrite.RewriteAppender;
import org.apache.logging.log4j.core.appender.rewrite.RewritePolicy;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * Points Log4j at this run's log file (or standard error, {@code --log -}) and level, scrubs the job's secrets from every event, and
 * drains it at the end of the run.
 */
final class Logging {
    /** The file appender's name in harvest's log4j2.xml. */
    private static final String FILE_APPENDER = "file";
    /** The appender of {@code --log -}. */
    private static final String STREAM_APPENDER = "stderr";
    /** The log file's layout in log4j2.xml, for {@code --log -} too. */
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%t] %msg%n%throwable";

    private Logging() {
    }

    /**
     * Starts (or restarts, for a second run in one JVM) logging to {@code file} at {@code level}.
     *
     * @param file      the log file, or null to log to {@code stderr} instead ({@code --log -})
     * @param stderr    the standard error stream, for {@code --log -}
     * @param onFailure told once, with one line, when the log file cannot be written (disk full):
     *                  the run goes on without its log rather than stopping, since the data files
     *                  are what matter, and Log4j's own report (stack traces, repeated) is replaced
     */
    static void start(Path file, PrintStream stderr, String level, Secrets secrets, Consumer<String> onFailure) {
        System.setProperty("harvest.log.file", file == null ? "/dev/null" : file.toAbsolutePath().toString());
        System.setProperty("harvest.log.level", level);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.reconfigure();
        if (file == null) {
            toStream(ctx, stderr);
        } else {
            Appender appender = ctx.getConfiguration().getAppender(FILE_APPENDER);
            if (appender != null) {
                appender.setHandler(new ReportOnce(file, onFailure));
            }
        }
        scrubEveryAppender(ctx, secrets);
    }

    /** Sends every event to {@code stream} (in the log file's layout) instead of the configured appenders. */
    private static void toStream(LoggerContext ctx, PrintStream stream) {
        Configuration config = ctx.getConfiguration();
        OutputStream unclosable = new FilterOutputStream(stream) {
            @Override
            public void write(byte[] b, int off, int len) {
                stream.write(b, off, len); // whole lines, not FilterOutputStream's byte at a time
            }

            @Override
            public void close() {
                stream.flush(); // the stream is the process's stderr: stopping the appender must not close it
            }
        };
        Appender appender = OutputStreamAppender.newBuilder().setName(STREAM_APPENDER).setTarget(unclosable)
                .setLayout(PatternLayout.newBuilder().withConfiguration(config).withPattern(PATTERN).build())
                .setConfiguration(config).build();
        appender.start();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        List.copyOf(root.getAppenders().keySet()).forEach(root::removeAppender);
        root.addAppender(appender, null, null);
        ctx.updateLoggers();
    }

    /**
     * Puts a rewrite step in front of every appender of every logger, so no event reaches a file
     * with a secret in its message or its exception's: one choke point for every line harvest
     * logs (and for a replacement log4j2.xml's appenders too), rather than care at each call.
     */
    private static void scrubEveryAppender(LoggerContext ctx, Secrets secrets) {
        Configuration config = ctx.getConfiguration();
        RewritePolicy policy = new Scrub(secrets);
        List<LoggerConfig> loggers = new ArrayList<>(config.getLoggers().values());
        if (!loggers.contains(config.getRootLogger())) {
            loggers.add(config.getRootLogger());
        }
        for (LoggerConfig logger : loggers) {
            for (String name : List.copyOf(logger.getAppenders().keySet())) {
                String scrubName = "scrub-" + name;
                Appender scrub = config.getAppender(scrubName);
                if (scrub == null) {
                    scrub = RewriteAppender.createAppender(scrubName, "true",
                            new AppenderRef[] {AppenderRef.createAppenderRef(name, null, null)}, config, policy, null);
                    scrub.start();
                    config.addAppender(scrub);
                }
                logger.removeAppender(name);
                logger.addAppender(scrub, null, null);
            }
        }
        ctx.updateLoggers();
    }

    /** Writes out every queued event and closes the log file. */
    static void stop() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        System.setProperty("harvest.log.file", "/dev/null");
        ctx.reconfigure();
    }

    /** Replaces secrets in an event's message and in its exception's messages. */
    private record Scrub(Secrets secrets) implements RewritePolicy {
        @Override
        @SuppressWarnings("deprecation") // setThrownProxy(null): else the copied proxy keeps the unscrubbed messages
        public LogEvent rewrite(LogEvent event) {
            String message = event.getMessage() == null ? null : event.getMessage().getFormattedMessage();
            String clean = secrets.scrub(message);
            Throwable thrown = scrubbed(event.getThrown(), 0);
            if (Objects.equals(message, clean) && thrown == event.getThrown()) {
                return event;
            }
            return new Log4jLogEvent.Builder(event).setMessage(new SimpleMessage(clean))
                    .setThrown(thrown).setThrownProxy(null).build();
        }

        /** The exception itself when its messages are clean, else a stand-in with the same trace. */
        private Throwable scrubbed(Throwable t, int depth) {
            if (t == null || depth > 20) {
                return t;
            }
            String m = t.getMessage();
            String clean = secrets.scrub(m);
            Throwable cause = scrubbed(t.getCause(), depth + 1);
            if (Objects.equals(m, clean) && cause == t.getCause()) {
                return t;
            }
            Throwable copy = new ScrubbedException(t.getClass().getName() + (clean == null ? "" : ": " + clean), cause);
            copy.setStackTrace(t.getStackTrace());
            return copy;
        }
    }

    /** Stands in for a logged exception whose message held a secret; its text names the original class. */
    private static final class ScrubbedException extends Exception {
        private static final long serialVersionUID = 1L;

        ScrubbedException(String message, Throwable cause) {
            super(message, cause);
        }
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
