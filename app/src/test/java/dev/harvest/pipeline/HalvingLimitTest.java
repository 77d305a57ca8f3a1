package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A fixed --concurrency on a test clock: halved by throttles at most once a second, grown back by successes. */
class HalvingLimitTest {
    private static final long MS = 1_000_000L;

    @Test
    void aBurstOfThrottlesHalvesTheLimitOnceASecond() {
        long t = -7_000 * MS;
        HalvingLimit limit = new HalvingLimit(64, t);
        for (int i = 0; i < 50; i++) {
            limit.dropped(5 * MS, 64, t + i * MS); // 50 throttles within 50 ms
        }
        assertEquals(32, limit.limit(), "halved once for the burst");
        limit.dropped(5 * MS, 32, t + 999 * MS);
        assertEquals(32, limit.limit(), "not again within the second");
        limit.dropped(5 * MS, 32, t + 1000 * MS);
        assertEquals(16, limit.limit(), "again a second later");
    }

    @Test
    void itNeverGoesBelowOneAndTimeoutsLeaveItAlone() {
        HalvingLimit limit = new HalvingLimit(3, 0);
        for (int s = 0; s < 5; s++) {
            limit.dropped(0, 1, s * 1000 * MS);
        }
        assertEquals(1, limit.limit());
        HalvingLimit other = new HalvingLimit(8, 0);
        other.timedOut(10_000 * MS, 8, 0);
        assertEquals(8, other.limit());
        assertEquals(Double.NaN, other.latencyFloorMillis());
    }

    @Test
    void successesGrowItBackToTheConfiguredLimitAndNoFurther() {
        HalvingLimit limit = new HalvingLimit(64, 0);
        for (int s = 0; s < 6; s++) {
            limit.dropped(0, 1, s * 1000 * MS);
        }
        assertEquals(1, limit.limit());
        int successes = 0;
        while (limit.limit() < 64) {
            limit.succeeded(MS, 1, 10_000 * MS);
            successes++;
        }
        // One more permit after an eighth of the limit in successes: 1 -> 64 in about 250.
        assertEquals(231, successes);
        for (int i = 0; i < 1000; i++) {
            limit.succeeded(MS, 64, 10_000 * MS);
        }
        assertEquals(64, limit.limit());
    }

    @Test
    void aThrottleAfterGrowthStartsTheCountAfresh() {
        HalvingLimit limit = new HalvingLimit(16, 0);
        limit.dropped(0, 16, 0);
        assertEquals(8, limit.limit());
        limit.succeeded(0, 8, 0); // 1 of the 1 success needed at 8 (8 / 8)
        assertEquals(9, limit.limit());
        limit.dropped(0, 9, 1000 * MS);
        assertEquals(4, limit.limit());
    }
}
