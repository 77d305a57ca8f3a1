package dev.harvest.pipeline;

import java.time.Duration;
import java.util.function.IntSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * How a stop request reaches a running pipeline: the first closes the flow (no new requests) and
 * gives the requests in flight the drain timeout; a second request, or the timeout, interrupts the
 * owner thread, which then abandons them (left unfinished for a resume).
 */
final class Drain {
    private static final Logger LOG = LogManager.getLogger(Drain.class);

    private final FlowControl flow;
    private final Duration timeout;
    private final IntSupplier inFlight;
    /** The thread running the pipeline; null before and after the run (nobody to interrupt). */
    private Thread owner;
    private Thread timer;

    /** @param inFlight requests in flight now, for the log */
    Drain(FlowControl flow, Duration timeout, IntSupplier inFlight) {
        this.flow = flow;
        this.timeout = timeout;
        this.inFlight = inFlight;
    }

    /** The run starts on {@code thread}. */
    synchronized void begin(Thread thread) {
        owner = thread;
    }

    /** The run's requests are over: no interrupt may reach the owner thread after this. */
    synchronized void end() {
        owner = null;
        if (timer != null) {
            timer.interrupt();
        }
    }

    /** A stop request: the first drains, a later one interrupts at once. */
    synchronized void stop(boolean first) {
        flow.stop("stop requested");
        if (owner == null) {
            return;
        }
        if (!first) {
            owner.interrupt();
        } else if (timer == null) {
            LOG.warn("stop requested: no new requests; waiting up to {} ms for {} in flight",
                    timeout.toMillis(), inFlight.getAsInt());
            Thread running = owner;
            timer = Thread.ofVirtual().name("drain-timer").start(() -> {
                try {
                    Thread.sleep(timeout);
                    interrupt(running);
                } catch (InterruptedException ignored) {
                    // the run ended first
                }
            });
        }
    }

    /** The drain timed out: interrupts the owner, if it is still running the pipeline. */
    private synchronized void interrupt(Thread running) {
        if (owner == running) {
            LOG.warn("stopping now: the drain timeout ({} ms) is over", timeout.toMillis());
            running.interrupt();
        }
    }
}
