package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.Gate.Signal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The job-wide pause on a test clock: sprinkled throttles never pause the job, a quarter of the
 * last 100 responses throttled pauses it once (for Retry-After, else --backoff, capped by
 * --max-retry-wait), and the pacer then spaces starts at a little under the accepted rate.
 */
class ThrottlePauseTest {
    private static final long MS = 1_000_000L;
    private static final Duration BACKOFF = Duration.ofMillis(250);
    private static final Duration MAX_WAIT = Duration.ofSeconds(5);

    /** {@code ok} accepted responses, then {@code throttled} 429s, one a millisecond from {@code t}; returns the time after. */
    private static long responses(ThrottlePause p, long t, int ok, int throttled, Duration retryAfter) {
        for (int i = 0; i < ok; i++) {
            p.response(Signal.OK, null, null, t);
            t += MS;
        }
        for (int i = 0; i < throttled; i++) {
            p.response(Signal.THROTTLED, null, retryAfter, t);
            t += MS;
        }
        return t;
    }

    private static boolean paused(ThrottlePause p, long now) {
        return p.pausedUntil() - now > 0;
    }

    @Test
    void sprinkledThrottlesNeverPauseTheJob() {
        long t = -1_000 * MS;
        ThrottlePause p = new ThrottlePause(BACKOFF, MAX_WAIT, t);
        for (int round = 0; round < 100; round++) {
            t = responses(p, t, 99, 1, Duration.ofSeconds(2)); // 1% throttled
            assertFalse(paused(p, t), "round " + round);
        }
        assertFalse(p.pacing());
        assertEquals(0, p.started(), "starts are not paced");
    }

    @Test
    void aQuarterOfTheLastHundredThrottledPausesEveryStartForRetryAfter() {
        ThrottlePause p = new ThrottlePause(BACKOFF, MAX_WAIT, 0);
        long t = responses(p, 0, 76, 24, Duration.ofSeconds(1));
        assertFalse(paused(p, t), "24 of 100 is a sprinkle");
        ThrottlePause q = new ThrottlePause(BACKOFF, MAX_WAIT, 0);
        t = responses(q, 0, 75, 25, Duration.ofSeconds(1));
        long last = t - MS; // when the 25th throttle came
        assertEquals(last + 1000 * MS, q.pausedUntil(), "paused for the Retry-After of the throttle that tipped it");
    }

    @Test
    void thePauseIsBackoffWithoutRetryAfterAndNeverLongerThanMaxRetryWait() {
        ThrottlePause p = new ThrottlePause(BACKOFF, MAX_WAIT, 0);
        long t = responses(p, 0, 75, 25, null);
        assertEquals(t - MS + BACKOFF.toNanos(), p.pausedUntil());
        ThrottlePause q = new ThrottlePause(BACKOFF, MAX_WAIT, 0);
        t = responses(q, 0, 75, 25, Duration.ofDays(365_000));
        assertEquals(t - MS + MAX_WAIT.toNanos(), q.pausedUntil());
    }

    @Test
    void afterThePauseStartsArePacedAtALittleUnderTheAcceptedRateAndItDoesNotPauseAgain() {
        ThrottlePause p = new ThrottlePause(BACKOFF, MAX_WAIT, 0);
        long t = responses(p, 0, 75, 25, Duration.ofSeconds(1));
        assertTrue(p.pacing());
        // 75 accepted within the pacer's shortest period (500 ms): 150 a second, paced at 95% of it.
        assertEquals((long) (1e9 / (Pacer.UNDER * 150)), p.started());
        long until = p.pausedUntil();
        responses(p, t, 0, 100, Duration.ofSeconds(1));
        assertEquals(until, p.pausedUntil(), "while paced, throttles move the pace, not the pause");
    }

    @Test
    void a503CountsAsAThrottleAndAConnectFailureDoesNot() {
        ThrottlePause p = new ThrottlePause(BACKOFF, MAX_WAIT, 0);
        long t = 0;
        for (int i = 0; i < 100; i++) {
            p.response(Signal.CONNECT_FAILED, FailureReason.CONNECT, null, t++);
        }
        assertFalse(paused(p, t));
        t = responses(p, t, 75, 0, null);
        for (int i = 0; i < 25; i++) {
            p.response(Signal.THROTTLED, FailureReason.forStatus(503), Duration.ofSeconds(2), t++);
        }
        assertTrue(paused(p, t));
    }
}
