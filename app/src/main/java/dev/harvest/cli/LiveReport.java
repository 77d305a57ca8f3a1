package dev.harvest.cli;

import dev.harvest.report.Progress;
import dev.harvest.report.ProgressSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The run's live reporting, on one virtual thread for the length of the pipeline's run: a progress
 * line redrawn on a terminal twice a second, a progress line in the log every
 * {@code --progress-interval}, and the heartbeat (summary file, metrics file) at least every 10 s.
 * It only reads counters and writes its own output, so it can never slow or stop the pipeline.
 */
final class LiveReport implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(LiveReport.class);
    static final long REDRAW_NANOS = 500_000_000L;
    static final long MAX_HEARTBEAT_NANOS = 10_000_000_000L;

    private final Progress progress;
    private final PrintStream terminal;
    private final boolean logProgress;
    private final long logNanos;
    private final long heartbeatNanos;
    private final Heartbeat heartbeat;
    private final Thread thread;
    private int drawnWidth;

    /**
     * @param progress         where readings come from
     * @param terminal         the terminal to redraw a line on, or null when stderr is not one (or --quiet)
     * @param logProgress      whether to write progress lines to the log (not with --quiet)
     * @param progressInterval how often to log progress
     * @param heartbeat        writes the summary and metrics files from a reading
     */
    private LiveReport(Progress progress, PrintStream terminal, boolean logProgress, Duration progressInterval,
                       Heartbeat heartbeat) {
        this.progress = progress;
        this.terminal = terminal;
        this.logProgress = logProgress;
        this.logNanos = Math.max(1_000_000L, progressInterval.toNanos());
        this.heartbeatNanos = Math.min(logNanos, MAX_HEARTBEAT_NANOS);
        this.heartbeat = heartbeat;
        this.thread = Thread.ofVirtual().name("progress").unstarted(this::loop);
    }

    /** Starts reporting; close() stops it. */
    static LiveReport start(Progress progress, PrintStream terminal, boolean logProgress, Duration progressInterval,
                            Heartbeat heartbeat) {
        LiveReport r = new LiveReport(progress, terminal, logProgress, progressInterval, heartbeat);
        r.thread.start();
        return r;
    }

    private void loop() {
        long start = System.nanoTime();
        long nextLog = start + logNanos;
        long nextHeartbeat = start;
        long nextDraw = start + REDRAW_NANOS;
        try {
            while (true) {
                long now = System.nanoTime();
                boolean draw = terminal != null && now >= nextDraw;
                boolean log = logProgress && now >= nextLog;
                boolean beat = now >= nextHeartbeat;
                if (draw || log || beat) {
                    ProgressSnapshot p = progress.sample();
                    if (draw) {
                        draw(p.terminalLine());
                        nextDraw = now + REDRAW_NANOS;
                    }
                    if (log) {
                        LOG.info(p.logLine());
                        nextLog = now + logNanos;
                    }
                    if (beat) {
                        beat(p);
                        nextHeartbeat = now + heartbeatNanos;
                    }
                }
                long next = Math.min(nextHeartbeat, Math.min(terminal != null ? nextDraw : Long.MAX_VALUE,
                        logProgress ? nextLog : Long.MAX_VALUE));
                Thread.sleep(Duration.ofNanos(Math.max(1_000_000L, next - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            // close(): the run is over
        }
    }

    private void beat(ProgressSnapshot p) {
        try {
            heartbeat.write(p);
        } catch (IOException | RuntimeException e) {
            // A missed heartbeat is not worth stopping the run for; the next one may succeed.
            LOG.warn("cannot refresh the summary or metrics file: {}", e.getMessage());
        }
    }

    private void draw(String line) {
        // One carriage-return line; spaces wipe what a longer previous line left behind.
        int pad = Math.max(0, drawnWidth - line.length());
        terminal.print("\r" + line + " ".repeat(pad));
        terminal.flush();
        drawnWidth = line.length();
    }

    /** Writes the heartbeat files from a progress reading. */
    @FunctionalInterface
    interface Heartbeat {
        void write(ProgressSnapshot p) throws IOException;
    }

    /** Stops the thread and wipes the progress line, so the summary prints on a clean line. */
    @Override
    public void close() {
        thread.interrupt();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (terminal != null && drawnWidth > 0) {
            terminal.print("\r" + " ".repeat(drawnWidth) + "\r");
            terminal.flush();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
