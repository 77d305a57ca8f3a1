package dev.harvest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.harvest.fetch.FailureReason;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recent window's latency comes with each outcome counted, not from whatever exchange came
 * last; every status a server sends is counted, however odd.
 */
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

    @Test
    void countsEveryStatusEvenOutsideTheUsualRange() {
        RunStats stats = new RunStats();
        stats.exchange(200, 1, 10, 1_000_000L);
        stats.exchange(200, 2, 10, 1_000_000L);
        stats.exchange(503, 1, 0, 1_000_000L);
        stats.exchange(599, 1, 0, 1_000_000L);
        stats.exchange(600, 1, 0, 1_000_000L); // not a real status, but a server can send it
        stats.exchange(99, 1, 0, 1_000_000L);
        stats.exchange(0, 1, 0, 0); // never answered: no status

        assertEquals(Map.of(99, 1L, 200, 2L, 503, 1L, 599, 1L, 600, 1L), stats.statuses());
        assertEquals(java.util.List.of(99, 200, 503, 599, 600), java.util.List.copyOf(stats.statuses().keySet()),
                "in order, for the summary and the metrics file");
        assertEquals(1, stats.retries());
    }
}
