package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The retry budget on a test clock: it bounds failing retries, paces the rest, and never runs dry for good. */
class RetryBudgetTest {
    private static final long SECOND = 1_000_000_000L;

    /** Takes tokens at {@code now} until refused; returns how many. */
    private static int drain(RetryBudget b, long now) {
        int n = 0;
        while (b.tryTake(now)) {
            n++;
        }
        return n;
    }

    @Test
    void whileEverythingFailsRetriesAreAShareOfAttemptsPlusASmallRatePerSecond() {
        long t = 5 * SECOND; // nanoTime may be anything
        RetryBudget b = new RetryBudget(0.1, 64, t);
        assertEquals(10, drain(b, t), "the starting tokens");
        for (int i = 0; i < 1000; i++) {
            b.deposit(); // 1,000 attempts, all failing: no refunds
        }
        assertEquals(74, drain(b, t), "capped at ten rounds' worth: 10 + 0.1 x 64 x 10");
        assertFalse(b.tryTake(t));
        // With no attempts at all, time alone refills 10 a second.
        assertEquals(5, drain(b, t + SECOND / 2));
        assertEquals(10, drain(b, t + SECOND / 2 + SECOND));
    }

    @Test
    void aRetryTheServerAnswersGivesItsTokenBack() {
        long t = -42 * SECOND;
        RetryBudget b = new RetryBudget(0.1, 64, t);
        drain(b, t);
        // A server that answers most retries: 200 retries go through on 10 tokens' worth of failures.
        int granted = 0;
        for (int i = 0; i < 200; i++) {
            b.refund(); // the previous retry was answered
            if (b.tryTake(t)) {
                granted++;
            }
        }
        assertEquals(200, granted);
    }

    @Test
    void aDryBudgetRefillsWithTimeSoTheLastRetriesOfARunGoOn() {
        long t = 0;
        RetryBudget b = new RetryBudget(0.1, 4, t);
        drain(b, t);
        int granted = 0;
        for (int ms = 0; ms <= 3000; ms += 25) {
            granted += drain(b, t + ms * 1_000_000L);
        }
        assertEquals(30, granted, "10 a second for 3 s");
        assertTrue(b.tokens() < 1);
    }
}
