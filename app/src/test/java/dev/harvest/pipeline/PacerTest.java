package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The pacer against simulated servers on a test clock: it finds a token-bucket limiter's rate and
 * stays near it, and it leaves alone a server whose throttles are sprinkled at random.
 */
class PacerTest {
    private static final long MS = 1_000_000L;

    /** A token bucket as a rate-limited server keeps it. */
    private static final class Bucket {
        final double perSecond;
        final double burst;
        double tokens;
        long at;

        Bucket(double perSecond, double burst, long now) {
            this.perSecond = perSecond;
            this.burst = burst;
            this.tokens = burst;
            this.at = now;
        }

        boolean take(long now) {
            tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
            at = now;
            if (tokens >= 1) {
                tokens--;
                return true;
            }
            return false;
        }
    }

    /** Sends at the pace (or at {@code unpaced} a second when not pacing) for {@code ms}; returns the responses accepted. */
    private static int[] drive(Pacer p, Bucket server, long from, long ms, double unpaced) {
        int accepted = 0;
        int throttled = 0;
        long t = from;
        while (t < from + ms * MS) {
            p.started();
            boolean ok = server.take(t);
            p.response(!ok, t);
            if (ok) {
                accepted++;
            } else {
                throttled++;
            }
            t += p.pacing() ? p.intervalNanos() : (long) (1e9 / unpaced);
        }
        return new int[] {accepted, throttled};
    }

    @Test
    void aRateLimitedServerIsPacedNearItsRateWithFewThrottles() {
        long t0 = 77 * MS;
        Pacer p = new Pacer(t0);
        Bucket server = new Bucket(200, 50, t0);
        // Unpaced, the job would send 3,000 a second: the first period throttles most of it.
        drive(p, server, t0, 2_000, 3000);
        assertTrue(p.pacing(), "pacing after a saturated period");
        int[] steady = drive(p, server, t0 + 2_000 * MS, 30_000, 3000);
        double rate = steady[0] / 30.0;
        assertTrue(rate >= 170 && rate <= 205, "accepted " + rate + " a second of 200");
        double share = (double) steady[1] / (steady[0] + steady[1]);
        assertTrue(share < 0.15, "throttled share " + share);
    }

    @Test
    void sprinkledThrottlesAreNoRateLimitAndDoNotSlowTheJob() {
        Pacer p = new Pacer(0);
        java.util.Random random = new java.util.Random(7);
        long t = 0;
        for (int i = 0; i < 60_000; i++) { // 30 s at 2,000 a second, 7.5% throttled at random
            p.started();
            p.response(random.nextDouble() < 0.075, t);
            assertFalse(p.pacing(), "paced at " + t / MS + " ms");
            t += MS / 2;
        }
    }

    @Test
    void paceThatCameDownInVainStops() {
        Pacer p = new Pacer(0);
        java.util.Random random = new java.util.Random(11);
        long t = 0;
        // A burst of throttling makes the pacer start...
        for (int i = 0; i < 1200; i++) {
            p.started();
            p.response(i % 2 == 0, t);
            t += MS / 2;
        }
        assertTrue(p.pacing());
        // ...then throttles stay at 7.5% however slow the job goes: the pacer lets go within a few periods.
        int periods = 0;
        while (p.pacing() && periods < 100) {
            long end = t + Pacer.PERIOD_MILLIS * MS;
            while (t < end) {
                p.started();
                p.response(random.nextDouble() < 0.075, t);
                t += p.pacing() ? p.intervalNanos() : MS / 2;
            }
            periods++;
        }
        assertFalse(p.pacing());
        assertTrue(periods <= 6, periods + " periods");
    }

    @Test
    void aServerThatThrottlesEverythingIsLeftToTheJobWidePause() {
        Pacer p = new Pacer(0);
        long t = 0;
        for (int i = 0; i < 2000; i++) {
            p.started();
            p.response(true, t);
            t += MS;
        }
        assertFalse(p.pacing(), "no rate to pace at when nothing is accepted");
        p.enter(t);
        assertFalse(p.pacing());
        assertEquals(0, p.intervalNanos());
    }
}
