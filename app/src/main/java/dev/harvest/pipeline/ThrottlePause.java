package dev.harvest.pipeline;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.Gate.Signal;
import dev.harvest.fetch.RetryPolicy;
import java.time.Duration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What the job does about a saturated server: when a quarter of the last {@value #WINDOW}
 * responses were throttled (429/503), every request start waits once (for the server's
 * {@code Retry-After}, else {@code --backoff}, capped by {@code --max-retry-wait}), and then the
 * {@link Pacer} spaces starts at the rate the server accepts.
 *
 * <p>Why a share and not every 429: a job-wide pause for each 429's {@code Retry-After} let a
 * server that throttled a random 5% of requests with {@code Retry-After: 1} stop the job nearly
 * all the time (2,000 IDs took 90 s). A sprinkled 429 delays only its own ID's retry; pausing
 * again and again instead of pacing met a 200 req/s limiter at a third of its rate. Not
 * thread-safe: the caller ({@link FlowControl}) holds its lock.
 */
final class ThrottlePause {
    private static final Logger LOG = LogManager.getLogger(ThrottlePause.class);
    static final int WINDOW = 100;
    static final double PAUSE_SHARE = 0.25;

    private final Duration defaultPause;
    private final Duration maxPause;
    private final Pacer pacer;
    private FailureWindow throttles = new FailureWindow(WINDOW);
    private long pausedUntil;

    /**
     * @param defaultPause the pause when the server names none (--backoff)
     * @param maxPause     the longest pause (--max-retry-wait)
     * @param now          the clock's reading at the start
     */
    ThrottlePause(Duration defaultPause, Duration maxPause, long now) {
        this.defaultPause = defaultPause;
        this.maxPause = maxPause;
        this.pacer = new Pacer(now);
        this.pausedUntil = now;
    }

    /** Until when request starts wait (a clock reading; in the past when not paused). */
    long pausedUntil() {
        return pausedUntil;
    }

    /** A request starts: returns the pace's spacing of starts, 0 when not pacing. */
    long started() {
        pacer.started();
        return pacer.intervalNanos();
    }

    /** Whether request starts are paced. */
    boolean pacing() {
        return pacer.pacing();
    }

    /** One attempt's result: {@code failure} is the throttle's reason when it is a 503, else null. */
    void response(Signal signal, FailureReason failure, Duration retryAfter, long now) {
        boolean throttled = signal == Signal.THROTTLED;
        throttles.add(throttled ? (failure != null ? failure : FailureReason.forStatus(429)) : null);
        boolean wasPacing = pacer.pacing();
        if (signal != Signal.CONNECT_FAILED && pacer.response(throttled, now)) {
            logPace(wasPacing);
        }
        if (throttled && !pacer.pacing() && throttles.tripped(PAUSE_SHARE)) {
            pause(retryAfter, now);
        }
    }

    /** Pauses every start and starts pacing; the throttling is judged afresh after the pause. */
    private void pause(Duration retryAfter, long now) {
        Duration pause = RetryPolicy.clamp(retryAfter != null ? retryAfter : defaultPause, maxPause);
        LOG.warn("server is throttling ({}): all requests paused for {} ms",
                throttles.describe().replace(" failed ", " throttled "), pause.toMillis());
        long until = now + FlowControl.nanos(pause);
        if (until - pausedUntil > 0) {
            pausedUntil = until;
        }
        pacer.enter(now);
        pacer.restart(pausedUntil);
        if (pacer.pacing()) {
            logPace(false);
        }
        throttles = new FailureWindow(WINDOW);
    }

    /** Starting and stopping to pace are warnings; the pace's moves while pacing are details. */
    private void logPace(boolean wasPacing) {
        if (!pacer.pacing()) {
            LOG.warn("request starts no longer paced");
        } else if (!wasPacing) {
            LOG.warn("server is throttling: request starts paced at {} a second", Math.round(pacer.rate()));
        } else {
            LOG.debug("request starts paced at {} a second", Math.round(pacer.rate()));
        }
    }
}
