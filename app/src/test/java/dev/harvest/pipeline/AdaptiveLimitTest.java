package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The auto concurrency limit on a simulated clock: time is data. A simulated server answers each
 * request after a latency that depends on how many are in flight, the job keeps the limit's worth
 * in flight, and the limit sees the latencies.
 */
class AdaptiveLimitTest {
    private static final long MS = 1_000_000L;
    /** The simulated clock, in nanoseconds. */
    private long now;

    /** A server with {@code workers} workers taking {@code serviceMs} each and a queue behind them. */
    private static IntToLongFunction knee(int workers, long serviceMs) {
        return inFlight -> Math.max(serviceMs * MS, serviceMs * MS * inFlight / workers);
    }

    /** Runs the job for {@code seconds} of simulated time; returns the time-weighted mean limit of the second half. */
    private double run(AdaptiveLimit limit, IntToLongFunction server, long seconds) {
        long start = now;
        long end = now + seconds * 1_000 * MS;
        double weighted = 0;
        long measured = 0;
        while (now < end) {
            int inFlight = limit.limit();
            long latency = server.applyAsLong(inFlight);
            long step = latency / inFlight; // responses of a full pipeline arrive limit per latency
            now += step;
            if (now - start > (end - start) / 2) {
                weighted += (double) limit.limit() * step;
                measured += step;
            }
            limit.sample(latency, false, inFlight, now);
        }
        return weighted / measured;
    }

    @Test
    void convergesJustAboveTheKneeOfAQueueingServer() {
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0);
        double mean = run(limit, knee(50, 20), 120);
        assertTrue(mean >= 40 && mean <= 90, "limit near the knee of 50, not " + mean);
        assertEquals(20.0, limit.floorMillis(), 0.01, "the floor is the service time");
    }

    @Test
    void convergesNearASmallKneeAndALargeOneAlike() {
        double small = run(new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0), knee(8, 20), 120);
        assertTrue(small >= 6 && small <= 15, "near 8, not " + small);
        double large = run(new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0), knee(400, 50), 300);
        assertTrue(large >= 320 && large <= 720, "near 400, not " + large);
    }

    @Test
    void growsToMaxWhenTheServerHasNoKnee() {
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0);
        run(limit, inFlight -> 20 * MS, 60);
        assertEquals(1000, limit.limit());
    }

    @Test
    void noisyLatencyWithoutAKneeStillGrowsToMax() {
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0);
        long[] n = {0};
        // latencies from 20 to 24 ms at random-looking order: noise is not queueing
        run(limit, inFlight -> (20 + (n[0]++ * 7919 % 5)) * MS, 60);
        assertEquals(1000, limit.limit());
    }

    @Test
    void aThrottledRoundHalvesTheLimitOnce() {
        AdaptiveLimit limit = new AdaptiveLimit(64, 1000, 0);
        AdaptiveLimit.Move move = null;
        for (int i = 0; i < 64; i++) {
            AdaptiveLimit.Move m = limit.sample(20 * MS, true, 64, i * MS);
            move = m != null ? m : move;
        }
        assertNotNull(move);
        assertEquals(32, limit.limit(), "a burst of 429s from one round halves once: " + move);
        assertTrue(move.why().contains("throttled"), move.why());
    }

    @Test
    void doesNotGrowWhenTheJobDoesNotUseTheLimit() {
        AdaptiveLimit limit = new AdaptiveLimit(16, 1000, 0);
        for (int i = 0; i < 10_000; i++) {
            limit.sample(20 * MS, false, 3, i * MS); // --rate or a short input keeps 3 in flight
        }
        assertEquals(16, limit.limit(), "a held-back job proves nothing about the server");
    }

    @Test
    void neverExceedsMaxNorFallsBelowOne() {
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 40, 0);
        run(limit, inFlight -> 5 * MS, 20);
        assertEquals(40, limit.limit());
        for (int i = 0; i < 10_000; i++) {
            limit.sample(5 * MS, true, 1, i * MS);
        }
        assertEquals(1, limit.limit());
    }

    @Test
    void findsTheKneeAgainWhenTheServerSlowsDown() {
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0);
        run(limit, inFlight -> 20 * MS, 30);
        assertEquals(1000, limit.limit());
        double mean = run(limit, knee(50, 20), 120);
        assertTrue(mean >= 40 && mean <= 90, "back near the knee of 50, not " + mean);
    }

    /**
     * A client whose own CPUs are saturated: latency grows with what is in flight (requests wait
     * for harvest's threads), though the server has no knee. The latency rule alone held the limit
     * near where the CPUs filled up; with the CPUs reported busy it grows on.
     */
    @Test
    void aBusyClientCpuIsNotTakenForTheServersQueue() {
        IntToLongFunction cpuBoundClient = inFlight -> Math.max(20 * MS, 20 * MS * inFlight / 300);
        double held = run(new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0), cpuBoundClient, 120);
        assertTrue(held < 600, "without the CPU reading, latency looks like a queue at ~300: " + held);
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0, () -> 0.97);
        run(limit, cpuBoundClient, 120);
        assertEquals(1000, limit.limit(), "busy CPUs: the wait is harvest's own");
    }

    /**
     * Busy CPUs read 0.95 and 0.85 in turn (a GC pause, a quiet second): a limit raised while they
     * were busy must not be cut by the latency rule in the first second that reads below 0.9.
     */
    @Test
    void aQuieterSecondDoesNotUndoWhatBusyCpusAllowed() {
        IntToLongFunction cpuBoundClient = inFlight -> Math.max(20 * MS, 20 * MS * inFlight / 300);
        int[] reads = {0};
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0, () -> reads[0]++ % 2 == 0 ? 0.95 : 0.85);
        double mean = run(limit, cpuBoundClient, 120);
        assertEquals(1000, limit.limit());
        assertTrue(mean > 900, "held near max, not " + mean);
    }

    @Test
    void cpusThatFreeUpHandTheLimitBackToTheLatencyRule() {
        double[] cpu = {0.97};
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0, () -> cpu[0]);
        run(limit, inFlight -> Math.max(20 * MS, 20 * MS * inFlight / 300), 60);
        assertEquals(1000, limit.limit());
        cpu[0] = 0.5; // the server slowed down: fewer responses, idle CPUs, and a queue in the server
        double mean = run(limit, knee(50, 20), 120);
        assertTrue(mean >= 40 && mean <= 90, "back near the knee of 50, not " + mean);
    }

    /** Young collections of 10 ms every 230 ms: the cumulative pause time at the simulated clock. */
    private long gcPausesSoFar() {
        return now / (230 * MS) * 10 * MS;
    }

    /** A response ending within 60 ms of a pause's start waited 25 ms more: the pause and its backlog. */
    private IntToLongFunction withPauses(IntToLongFunction server) {
        return inFlight -> server.applyAsLong(inFlight) + (now % (230 * MS) < 60 * MS ? 25 * MS : 0);
    }

    /**
     * The bench nginx has no knee, but the JVM's young collections raised the median of a round or
     * two to ~2x the floor every quarter second: judged as a server queue, they held the limit low.
     */
    @Test
    void garbageCollectionPausesAreNotTakenForTheServersQueue() {
        IntToLongFunction noKnee = withPauses(inFlight -> 20 * MS);
        double held = run(new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0), noKnee, 60);
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, now, () -> Double.NaN, this::gcPausesSoFar);
        double mean = run(limit, noKnee, 60);
        assertTrue(mean > 950, "the pauses are the JVM's: near max, not " + mean);
        assertTrue(held < 0.85 * mean, "without the pause reading, collections cut the limit: " + held + " vs " + mean);
    }

    @Test
    void aKneeIsFoundThroughTheGarbageCollectionPauses() {
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0, () -> Double.NaN, this::gcPausesSoFar);
        double mean = run(limit, withPauses(knee(50, 20)), 120);
        assertTrue(mean >= 40 && mean <= 90, "near the knee of 50, not " + mean);
    }

    /** Busy CPUs in the first second are the JIT compiling harvest, not requests waiting for harvest. */
    @Test
    void busyCpusInTheFirstSecondDoNotLetTheLimitPastTheKnee() {
        double[] cpu = {1.0};
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0, () -> cpu[0]);
        run(limit, knee(50, 20), 1);
        assertTrue(limit.limit() < 100, "the first second's CPU reading is not trusted: " + limit.limit());
        cpu[0] = 0.3;
        double mean = run(limit, knee(50, 20), 60);
        assertTrue(mean >= 40 && mean <= 90, "near the knee of 50, not " + mean);
    }

    @Test
    void idleCpusLeaveTheLatencyRuleInCharge() {
        double mean = run(new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0, () -> 0.3), knee(50, 20), 120);
        assertTrue(mean >= 40 && mean <= 90, "near the knee of 50, not " + mean);
    }

    @Test
    void busyCpusStillHalveOnThrottling() {
        AdaptiveLimit limit = new AdaptiveLimit(64, 1000, 0, () -> 1.0);
        for (int i = 0; i < 64; i++) {
            limit.sample(20 * MS, true, 64, i * MS);
        }
        assertEquals(32, limit.limit(), "a 429 or 503 is the server's word, whatever the CPUs");
    }

    @Test
    void theCpuIsReadAtMostFourTimesASecond() {
        int[] reads = {0};
        AdaptiveLimit limit = new AdaptiveLimit(AdaptiveLimit.INITIAL, 1000, 0, () -> {
            reads[0]++;
            return 0.5;
        });
        run(limit, knee(50, 20), 10);
        // none in the first second (the JIT's warm-up), then one every 250 ms
        assertTrue(reads[0] >= 18 && reads[0] <= 37, "reads in 10 simulated seconds: " + reads[0]);
    }
}
