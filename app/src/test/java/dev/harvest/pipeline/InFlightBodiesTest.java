package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The body budget's rules: in order, started bodies first, and one body past the limit so none wait forever. */
class InFlightBodiesTest {
    private final Object a = new Object();
    private final Object b = new Object();
    private final Object c = new Object();

    @Test
    void bodiesThatHoldTheWholeBudgetAndWantMoreStillFinish() throws Exception {
        InFlightBodies budget = new InFlightBodies(100);
        assertTrue(budget.take(a, 60, false, null));
        assertTrue(budget.take(b, 40, false, null));
        // Both are half received and need more: A goes past the limit and finishes.
        assertTrue(budget.take(a, 16, true, null), "the first started body to wait takes the overdraft");
        assertTrue(budget.take(a, 16, true, null), "and keeps it until it finishes");
        CountDownLatch bGranted = new CountDownLatch(1);
        assertFalse(budget.take(b, 16, true, bGranted::countDown), "one body past the limit at a time");
        budget.finished(a);
        assertEquals(1, bGranted.getCount(), "no second overdraft while A's bytes are still held");
        budget.give(92); // the store wrote A
        assertTrue(bGranted.await(30, TimeUnit.SECONDS), "B goes on once the bytes in use are back within the limit");
        assertEquals(56, budget.used());
    }

    @Test
    void startedBodiesAreServedBeforeNewOnesAndNewOnesInOrder() throws Exception {
        InFlightBodies budget = new InFlightBodies(100);
        assertTrue(budget.take(a, 90, false, null));
        CountDownLatch cGranted = new CountDownLatch(1);
        assertFalse(budget.take(c, 50, false, cGranted::countDown));
        assertFalse(budget.take(b, 5, false, null), "a new body queues behind an earlier one, even if it would fit");
        assertTrue(budget.take(a, 10, true, null), "a started body is served before new ones");
        budget.finished(b); // B gave up while queued (a timeout, say): its request goes
        budget.give(100);
        assertTrue(cGranted.await(30, TimeUnit.SECONDS));
        assertEquals(50, budget.used());
    }
}
