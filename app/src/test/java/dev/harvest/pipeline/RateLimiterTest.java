package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Start spacing on a test clock: --rate and the pace, whichever is slower, and no banked bursts. */
class RateLimiterTest {
    private static final long MS = 1_000_000L;

    @Test
    void startsAreSpacedAtTheRate() {
        long t = -3 * MS;
        RateLimiter r = new RateLimiter(200, t); // 5 ms apart
        for (int i = 0; i < 10; i++) {
            assertEquals(t + i * 5 * MS, r.reserve(t, 0), "start " + i);
        }
    }

    @Test
    void withoutARateOrAPaceEveryStartIsNow() {
        RateLimiter r = new RateLimiter(0, 0);
        for (int i = 0; i < 10; i++) {
            assertEquals(7 * MS, r.reserve(7 * MS, 0));
        }
    }

    @Test
    void theSlowerOfRateAndPaceWins() {
        RateLimiter r = new RateLimiter(200, 0);
        assertEquals(0, r.reserve(0, 20 * MS));
        assertEquals(20 * MS, r.reserve(0, 20 * MS), "paced at 50 a second: 20 ms apart");
        assertEquals(40 * MS, r.reserve(0, 0), "the pace ended: back to 5 ms apart");
        assertEquals(45 * MS, r.reserve(0, 0));
    }

    @Test
    void anIdleJobBanksNoBurst() {
        RateLimiter r = new RateLimiter(10, 0); // 100 ms apart
        r.reserve(0, 0);
        long later = 5_000 * MS;
        assertEquals(later, r.reserve(later, 0));
        assertEquals(later + 100 * MS, r.reserve(later, 0), "five idle seconds do not allow 50 starts at once");
    }
}
