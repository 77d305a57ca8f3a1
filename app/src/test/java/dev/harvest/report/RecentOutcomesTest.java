package dev.harvest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.fetch.FailureReason;
import org.junit.jupiter.api.Test;

/** The recent window reflects the last minute (or the last outcomes), not the whole run. */
class RecentOutcomesTest {
    private static final long S = 1_000_000_000L;

    @Test
    void windowForgetsOutcomesOlderThanAMinute() {
        RecentOutcomes ring = new RecentOutcomes(0);
        // Hour 1: fast and clean.
        for (int i = 0; i < 1000; i++) {
            ring.ok(3600 * S + i * 1_000_000L, 10_000_000L);
        }
        // Hour 5, the last 30 s: slow, with timeouts.
        for (int i = 0; i < 300; i++) {
            long t = 5 * 3600 * S - 30 * S + i * 100_000_000L;
            if (i % 10 == 0) {
                ring.failed(t, FailureReason.TIMEOUT, 30 * S);
            } else {
                ring.ok(t, 900_000_000L);
            }
        }
        RecentWindow w = ring.window(5 * 3600 * S);
        assertEquals(300, w.outcomes());
        assertEquals(60, w.seconds(), 0.001);
        assertEquals(5.0, w.requestsPerSecond(), 0.001);
        assertEquals(0.1, w.errorRate(FailureReason.TIMEOUT), 1e-9);
        assertTrue(w.p50Millis() > 850 && w.p50Millis() < 1000, "p50 " + w.p50Millis());
        assertTrue(w.p99Millis() > 25_000, "p99 " + w.p99Millis());
    }

    @Test
    void aFullRingSpansOnlyTheTimeItsOutcomesTook() {
        RecentOutcomes ring = new RecentOutcomes(0);
        int n = RecentOutcomes.CAPACITY * 2;
        for (int i = 0; i < n; i++) {
            ring.ok(10 * S + i * 1_000_000L, 1_000_000L); // 1,000 per second
        }
        RecentWindow w = ring.window(10 * S + n * 1_000_000L);
        assertEquals(RecentOutcomes.CAPACITY, w.outcomes());
        assertEquals(1000, w.requestsPerSecond(), 5);
        assertEquals(0, w.errorRate());
    }
}
