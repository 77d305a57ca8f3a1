package dev.harvest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Retry delays are always within zero and --max-retry-wait, whatever the server or the settings say. */
class RetryPolicyTest {
    private static final Duration CAP = Duration.ofSeconds(60);
    private static final long NOW = Instant.parse("2026-12-01T12:00:00Z").toEpochMilli();

    @Test
    void hugeRetryAftersAreClampedNotOverflowed() {
        RetryPolicy p = new RetryPolicy(3, Duration.ofMillis(250), CAP);
        for (String v : new String[] {"100000000000000000", "9223372036854775807", "99999999999999999999999",
                "Fri, 31 Dec 9999 23:59:59 GMT"}) {
            assertEquals(CAP, p.delay(1, RetryPolicy.parseRetryAfter(v, NOW)), v);
        }
        assertEquals(Duration.ofSeconds(1), p.delay(1, RetryPolicy.parseRetryAfter("1", NOW)));
        assertEquals(Duration.ofSeconds(30), p.delay(1, RetryPolicy.parseRetryAfter("Tue, 01 Dec 2026 12:00:30 GMT", NOW)));
        assertEquals(Duration.ZERO, p.delay(1, RetryPolicy.parseRetryAfter("Tue, 01 Dec 2020 12:00:30 GMT", NOW)));
        assertNull(RetryPolicy.parseRetryAfter("soon", NOW));
        assertNull(RetryPolicy.parseRetryAfter("-5", NOW));
    }

    @Test
    void backoffSaturatesAtTheCapForAnyRetryAndAnySetting() {
        Duration forever = Duration.ofMillis(Long.MAX_VALUE);
        for (RetryPolicy p : new RetryPolicy[] {new RetryPolicy(100, Duration.ofMillis(250), CAP),
                new RetryPolicy(100, forever, CAP), new RetryPolicy(100, forever, forever),
                new RetryPolicy(100, Duration.ofDays(365_000), Duration.ofDays(365_000_000))}) {
            for (int retry : new int[] {1, 2, 30, 63, 64, 100, Integer.MAX_VALUE}) {
                Duration d = p.delay(retry, null);
                assertFalse(d.isNegative(), p + " retry " + retry);
                assertTrue(d.compareTo(p.maxRetryWait()) <= 0, p + " retry " + retry + ": " + d);
            }
        }
    }

    @Test
    void aThrottledAnswerCountsAsAFifthOfARetry() {
        RetryPolicy three = new RetryPolicy(3, Duration.ofMillis(250), CAP);
        assertFalse(three.usedUp(3, 0));
        assertTrue(three.usedUp(4, 0));
        assertFalse(three.usedUp(0, 15));
        assertTrue(three.usedUp(0, 16));
        assertFalse(three.usedUp(2, 5));
        assertTrue(three.usedUp(2, 6));
        RetryPolicy none = new RetryPolicy(0, Duration.ofMillis(250), CAP);
        assertTrue(none.usedUp(1, 0));
        assertTrue(none.usedUp(0, 1), "--retries 0: not even a throttled answer is retried");
    }
}
