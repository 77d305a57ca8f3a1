package dev.harvest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.harvest.fetch.FailureReason;
import org.junit.jupiter.api.Test;

/** The recent window's latency comes with each outcome counted, not from whatever exchange came last. */
class RunStatsTest {

    @Test
    void eachOutcomeBringsItsOwnLatencyToTheRecentWindow() {
        RunStats stats = new RunStats();
        stats.exchange(200, 1, 10, 900_000_000L); // a 900 ms exchange whose outcome is not counted here
        for (int i = 0; i < 10; i++) {
            stats.ok(1, 10_000_000L);
        }
        for (int i = 0; i < 10; i++) {
            stats.failed(FailureReason.INVALID_ID, 0); // never fetched: no latency, left out of the percentiles
        }
        stats.failed(FailureReason.forStatus(500), 30_000_000L);

        RecentWindow w = stats.recent(System.nanoTime());

        assertEquals(21, w.outcomes());
        assertEquals(10, w.p50Millis(), 10 * 0.07, "buckets are within about 4%");
        assertEquals(30, w.p99Millis(), 30 * 0.07);
        assertEquals(900, stats.latencyMillis(1.0), 900 * 0.07, "the run's histogram has every exchange");
    }
}
