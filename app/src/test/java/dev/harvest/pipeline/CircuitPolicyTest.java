package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.Gate.Signal;
import org.junit.jupiter.api.Test;

/** The two circuits as data: consecutive connection failures, and a failure ratio over recent attempts. */
class CircuitPolicyTest {

    @Test
    void consecutiveConnectionFailuresOpenTheCircuitAndAnyResponseResetsTheCount() {
        ConnectCircuit c = new ConnectCircuit(3);
        assertNull(c.record(Signal.CONNECT_FAILED));
        assertNull(c.record(Signal.CONNECT_FAILED));
        assertNull(c.record(Signal.THROTTLED), "a 429 is an answer");
        assertNull(c.record(Signal.CONNECT_FAILED));
        assertNull(c.record(Signal.CONNECT_FAILED));
        assertNull(c.record(Signal.FAILED), "a timeout or 5xx neither resets nor counts");
        assertEquals("endpoint unreachable: 3 consecutive connection failures", c.record(Signal.CONNECT_FAILED));
        assertNull(c.record(Signal.OK));
    }

    @Test
    void zeroFailuresMeansNever() {
        ConnectCircuit c = new ConnectCircuit(0);
        for (int i = 0; i < 10_000; i++) {
            assertNull(c.record(Signal.CONNECT_FAILED));
        }
    }

    @Test
    void theRatioCircuitOpensOnlyOnAFullWindowWithEnoughServerFailures() {
        RatioCircuit c = new RatioCircuit(10, 0.5);
        for (int i = 0; i < 9; i++) {
            assertNull(c.record(Signal.FAILED, FailureReason.HTTP_5XX), "the window is not full yet");
        }
        assertEquals("endpoint failing: 10 of the last 10 requests failed (http_5xx 9, timeout 1)",
                c.record(Signal.FAILED, FailureReason.TIMEOUT));
        for (int i = 0; i < 4; i++) {
            c.record(Signal.OK, null);
        }
        assertEquals("endpoint failing: 5 of the last 10 requests failed (http_5xx 4, timeout 1)", c.record(Signal.OK, null));
        assertNull(c.record(Signal.OK, null), "4 of 10");
    }

    @Test
    void throttlesAreNoFailuresOfTheEndpointButA503IsOne() {
        RatioCircuit c = new RatioCircuit(4, 1.0);
        for (int i = 0; i < 100; i++) {
            assertNull(c.record(Signal.THROTTLED, null));
        }
        for (int i = 0; i < 3; i++) {
            assertNull(c.record(Signal.THROTTLED, FailureReason.forStatus(503)));
        }
        assertEquals("endpoint failing: 4 of the last 4 requests failed (http_5xx 4)",
                c.record(Signal.THROTTLED, FailureReason.forStatus(503)));
        assertNull(new RatioCircuit(0, 0.5).record(Signal.FAILED, FailureReason.HTTP_5XX), "window 0 means never");
    }
}
