package dev.harvest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.fetch.FailureReason;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The progress lines' format, which operators read and may grep. */
class ProgressSnapshotTest {
    private static final RecentWindow RECENT = new RecentWindow(91_380, 60, Map.of(FailureReason.HTTP_404, 914L,
            FailureReason.TIMEOUT, 183L), 63.5, 312.0);

    private static ProgressSnapshot halfWay(long bytesRead, long totalBytes, double doneRate) {
        return new ProgressSnapshot(Instant.parse("2026-11-22T03:15:00Z"), 270_000_000_000L, 412_010, bytesRead,
                totalBytes, 410_100, 1_850, 3, 12, 64, doneRate, RECENT);
    }

    @Test
    void terminalLineShowsShareDoneOfEstimatedTotalRateEtaAndCounts() {
        ProgressSnapshot p = halfWay(41_201_000, 100_000_000, 1_500);
        assertEquals(1_000_000, p.estimatedTotal(), "lines read scaled by bytes: no counting pass");
        assertEquals("41.2%  411,953/~1,000,000  1,523 req/s  ETA 6m32s  ok 410,100  failed 1,850  retrying 12  in flight 64",
                p.terminalLine());
    }

    @Test
    void logLineAddsTheRecentWindowsLatencyAndErrorsByReason() {
        assertEquals("progress: 41.2% 411,953/~1,000,000 lines, ETA 6m32s; ok 410,100, failed 1,850, skipped 3,"
                + " retrying 12, in flight 64; last 60 s: 1,523 req/s, p50 63.5 ms, p99 312.0 ms,"
                + " errors 1.2% (http_404 1.0%, timeout 0.2%)", halfWay(41_201_000, 100_000_000, 1_500).logLine());
    }

    @Test
    void anAutoConcurrencyLimitIsShownWithItsLatencyFloor() {
        ProgressSnapshot p = new ProgressSnapshot(Instant.parse("2026-11-22T03:15:00Z"), 270_000_000_000L, 412_010,
                41_201_000, 100_000_000, 410_100, 1_850, 3, 12, 64, 1_500, RECENT, 77, 21.94);
        assertTrue(p.terminalLine().endsWith("in flight 64  limit 77 (floor 21.9 ms)"), p.terminalLine());
        assertTrue(p.logLine().contains("in flight 64, concurrency limit 77 (latency floor 21.9 ms); last 60 s"), p.logLine());
        assertTrue(halfWay(41_201_000, 100_000_000, 1_500).terminalLine().endsWith("in flight 64"), "a fixed limit is not shown");
    }

    @Test
    void totalIsExactOnceTheInputIsReadAndUnknownForStandardInput() {
        ProgressSnapshot all = halfWay(100, 100, 1_500);
        assertEquals(412_010, all.estimatedTotal());
        assertTrue(all.terminalLine().startsWith("100.0%  411,953/412,010  "), all.terminalLine());
        assertTrue(all.terminalLine().contains("ETA 0s"), all.terminalLine());

        ProgressSnapshot stdin = halfWay(41_201_000, -1, 1_500);
        assertEquals(-1, stdin.estimatedTotal());
        assertTrue(stdin.terminalLine().startsWith("411,953 done  1,523 req/s  ETA ?  "), stdin.terminalLine());
    }

    @Test
    void etaIsUnknownWithoutAPaceAndShownInHoursWhenLong() {
        assertTrue(halfWay(41_201_000, 100_000_000, 0).terminalLine().contains("ETA ?"));
        assertTrue(halfWay(41_201_000, 100_000_000, 50).terminalLine().contains("ETA 3h16m"));
    }
}
