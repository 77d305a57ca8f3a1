package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.Gate.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The composed gate on a test clock, where the wall-clock checks of the throttle and fault tests
 * used to be: gaps between request starts, waits for Retry-After, the job-wide pause, the retry
 * budget's waiting, and what a closing job does to waits and permits.
 */
class FlowControlTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = -123_456 * MS; // nanoTime may be anything

    private final FakeClock clock = new FakeClock(T0);

    private FlowControl flow(int concurrency, double rate, double retryBudget, int circuitFailures) {
        long now = clock.nanoTime();
        return new FlowControl(clock, new HalvingLimit(concurrency, now), new RateLimiter(rate, now),
                new ThrottlePause(Duration.ofMillis(250), Duration.ofSeconds(5), now),
                new RetryBudget(retryBudget, concurrency, now), new ConnectCircuit(circuitFailures),
                new RatioCircuit(200, 1.0));
    }

    /** When each of {@code n} request starts came. */
    private List<Long> starts(FlowControl f, int n) throws InterruptedException {
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            f.awaitTurn();
            at.add(clock.nanoTime());
        }
        return at;
    }

    @Test
    void requestStartsAreSpacedAtTheRate() throws InterruptedException {
        List<Long> at = starts(flow(16, 50, 0.1, 0), 6);
        for (int i = 1; i < at.size(); i++) {
            assertEquals(20 * MS, at.get(i) - at.get(i - 1), "start " + i);
        }
    }

    @Test
    void aSprinkledThrottleDelaysOnlyItsOwnIdWhichWaitsItsRetryAfter() throws InterruptedException {
        FlowControl f = flow(16, 0, 0.1, 0);
        Permits.Permit own = f.acquire();
        for (int i = 0; i < 99; i++) {
            f.record(Signal.OK, null, null, false, MS);
        }
        f.record(Signal.THROTTLED, null, Duration.ofSeconds(2), false, MS);
        f.awaitTurn();
        assertEquals(0, clock.slept(), "the others start at once");
        assertTrue(f.awaitRetry(own, Duration.ofSeconds(2), false));
        assertEquals(2000 * MS, clock.slept(), "the throttled ID waited its Retry-After");
        assertTrue(own.held());
    }

    @Test
    void aWaitingRetryLeavesItsSlotToOtherIds() throws InterruptedException {
        FlowControl f = flow(1, 0, 0.1, 0);
        Permits.Permit own = f.acquire();
        List<Long> others = new ArrayList<>();
        clock.duringSleep(() -> {
            try {
                Permits.Permit other = f.acquire();
                others.add(clock.nanoTime());
                other.release();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(f.awaitRetry(own, Duration.ofSeconds(2), false));
        assertEquals(20, others.size(), "other IDs had the only slot in each 100 ms of the 2 s wait");
        assertEquals(1, f.held());
        own.release();
        assertEquals(0, f.held());
    }

    @Test
    void aServerThrottlingAQuarterOfRequestsPausesEveryStartForItsRetryAfter() throws InterruptedException {
        FlowControl f = flow(8, 0, 0.1, 0);
        for (int i = 0; i < 75; i++) {
            f.record(Signal.OK, null, null, false, MS);
        }
        for (int i = 0; i < 25; i++) {
            f.record(Signal.THROTTLED, null, Duration.ofSeconds(1), false, MS);
        }
        f.awaitTurn();
        assertEquals(1000 * MS, clock.slept(), "the whole job paused for Retry-After");
        List<Long> at = starts(f, 3);
        assertTrue(at.get(2) - at.get(1) > 0, "then starts are paced");
        assertEquals(at.get(2) - at.get(1), at.get(1) - at.get(0));
    }

    @Test
    void aDryRetryBudgetDelaysARetryUntilItRefillsAndAThrottledRetrySpendsNone() throws InterruptedException {
        FlowControl f = flow(4, 0, 0, 0); // no deposits: only the 10 starting tokens and 10 a second
        Permits.Permit own = f.acquire();
        for (int i = 0; i < 10; i++) {
            assertTrue(f.awaitRetry(own, Duration.ZERO, true));
        }
        assertEquals(0, clock.slept(), "the starting tokens");
        assertTrue(f.awaitRetry(own, Duration.ZERO, false));
        assertEquals(0, clock.slept(), "a throttled retry takes no token");
        assertTrue(f.awaitRetry(own, Duration.ZERO, true));
        assertEquals(100 * MS, clock.slept(), "waited for the refill of one token, not dropped");
        assertEquals(12, f.retriesGranted());
    }

    @Test
    void anOpenCircuitEndsARetryWaitAndThePermitGivesNothingBackTwice() throws InterruptedException {
        FlowControl f = flow(2, 0, 0.1, 3);
        Permits.Permit own = f.acquire();
        clock.duringSleep(() -> {
            if (clock.nanoTime() - T0 >= 500 * MS) {
                for (int i = 0; i < 3; i++) {
                    f.record(Signal.CONNECT_FAILED, FailureReason.CONNECT, null, false, MS);
                }
            }
        });
        assertFalse(f.awaitRetry(own, Duration.ofSeconds(30), true), "the job closed during the wait");
        assertEquals(500 * MS, clock.slept(), "it stopped waiting at once, not after 30 s");
        assertTrue(f.aborted());
        assertEquals("endpoint unreachable: 3 consecutive connection failures", f.closedBecause());
        assertEquals(0, f.held(), "the lent slot is not taken back");
        assertTrue(own.release());
        assertEquals(0, f.held());
        assertNull(f.acquire(), "a closed job starts nothing, though slots are free");
    }

    @Test
    void aHardStopDuringARetryWaitLeavesThePermitLent() throws InterruptedException {
        FlowControl f = flow(2, 0, 0.1, 0);
        Permits.Permit own = f.acquire();
        clock.duringSleep(() -> Thread.currentThread().interrupt());
        assertThrows(InterruptedException.class, () -> f.awaitRetry(own, Duration.ofSeconds(5), true));
        assertFalse(own.held());
        own.release();
        assertEquals(0, f.held());
    }

    @Test
    void aThrottleHalvesTheSlotsWithoutRevokingHeldPermits() throws InterruptedException {
        FlowControl f = flow(4, 0, 0.1, 0);
        List<Permits.Permit> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(f.acquire());
        }
        f.record(Signal.THROTTLED, null, null, false, MS);
        assertEquals(2, f.limit());
        assertEquals(-2, f.available(), "4 in flight under a limit of 2");
        held.forEach(Permits.Permit::release);
        assertEquals(2, f.available());
        assertNotNull(f.acquire());
    }

    @Test
    void aTimeoutBacksOffTheAutoLimitButNotAFixedOne() {
        long now = clock.nanoTime();
        FlowControl auto = new FlowControl(clock, new AutoLimit(1000, Duration.ofSeconds(10), now, () -> Double.NaN, () -> 0L),
                new RateLimiter(0, now), new ThrottlePause(Duration.ofMillis(250), Duration.ofSeconds(5), now),
                new RetryBudget(0.1, 1000, now), new ConnectCircuit(0), new RatioCircuit(0, 1.0));
        FlowControl fixed = flow(16, 0, 0.1, 0);
        assertEquals(AdaptiveLimit.INITIAL, auto.limit());
        for (int i = 0; i < AdaptiveLimit.INITIAL; i++) {
            auto.record(Signal.FAILED, FailureReason.TIMEOUT, null, false, 5_000 * MS);
            fixed.record(Signal.FAILED, FailureReason.TIMEOUT, null, false, 5_000 * MS);
        }
        assertEquals(AdaptiveLimit.INITIAL / 2, auto.limit(), "a round with a timeout halves the auto limit");
        assertEquals(16, fixed.limit(), "a fixed limit waits for the server to throttle");
        assertTrue(Double.isNaN(fixed.latencyFloorMillis()));
    }

    @Test
    void startsGoAtOnceUntilTheServerThrottlesThenThePaceSpacesThem() throws InterruptedException {
        FlowControl f = flow(16, 0, 0.1, 0);
        starts(f, 5);
        assertEquals(0, clock.slept(), "no --rate, no pause: no wait");
        clock.advance(Duration.ofMillis(600));
        for (int i = 0; i < 15; i++) {
            f.record(Signal.OK, null, null, false, MS);
        }
        for (int i = 0; i < 5; i++) {
            f.record(Signal.THROTTLED, null, null, false, MS); // a quarter of a period: pacing, no pause
        }
        List<Long> at = starts(f, 4);
        long gap = (long) (1e9 / (Pacer.UNDER * 15 / 0.6));
        for (int i = 1; i < at.size(); i++) {
            assertEquals(gap, at.get(i) - at.get(i - 1), "start " + i + " paced from the first start after the throttles");
        }
    }

    @Test
    void aPauseThatStartsOrGrowsWhileARequestWaitsIsHonoured() throws InterruptedException {
        FlowControl f = flow(16, 0, 0.1, 0);
        starts(f, 3);
        assertEquals(0, clock.slept());
        for (int i = 0; i < 100; i++) {
            f.record(Signal.THROTTLED, null, Duration.ofSeconds(1), false, MS); // nothing accepted: a pause, no pace
        }
        long pausedAt = clock.nanoTime();
        clock.duringSleep(() -> {
            if (clock.nanoTime() - pausedAt == 100 * MS) {
                for (int i = 0; i < 100; i++) {
                    f.record(Signal.THROTTLED, null, Duration.ofSeconds(3), false, MS);
                }
            }
        });
        f.awaitTurn();
        assertEquals(3100 * MS, clock.slept(), "the pause grew to 3 s while the request waited in it");
        clock.duringSleep(() -> { });
        starts(f, 2);
        assertEquals(0, clock.slept(), "after the pause, without a pace, starts go at once again");
    }

    @Test
    void anInterruptedStarterThrowsEvenWhenItNeedNotWait() {
        FlowControl f = flow(16, 0, 0.1, 0);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, f::awaitTurn);
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt was taken");
    }
}
