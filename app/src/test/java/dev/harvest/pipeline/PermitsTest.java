package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The slots as tokens: a permit gives its slot back exactly once whatever the path (released
 * twice, released after a retry wait that closed or was interrupted), a lowered limit takes effect
 * as permits come back, and a closing job never waits for a slot.
 */
class PermitsTest {
    private static final BooleanSupplier OPEN = () -> false;
    private static final BooleanSupplier CLOSED = () -> true;

    private static List<Permits.Permit> take(Permits p, int n) throws InterruptedException {
        List<Permits.Permit> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(one(p));
        }
        return held;
    }

    /** A permit that must be free now. */
    private static Permits.Permit one(Permits p) throws InterruptedException {
        Permits.Permit permit = p.acquire(CLOSED);
        assertNotNull(permit, "a free slot");
        return permit;
    }

    @Test
    void aPermitGivesItsSlotBackOnce() throws InterruptedException {
        Permits p = new Permits(2);
        List<Permits.Permit> held = take(p, 2);
        assertNull(p.acquire(CLOSED), "full: a closed job gets none instead of waiting");
        assertTrue(held.getFirst().release());
        assertFalse(held.getFirst().release(), "a second release is refused");
        assertFalse(held.getFirst().held());
        assertEquals(1, p.inUse(), "and gives nothing back twice");
        assertNotNull(p.acquire(CLOSED));
        assertNull(p.acquire(CLOSED));
    }

    @Test
    void aLentSlotIsOtherIdsUntilTakenBack() throws InterruptedException {
        Permits p = new Permits(1);
        Permits.Permit waiting = p.acquire(CLOSED);
        waiting.lend();
        assertFalse(waiting.held());
        Permits.Permit other = one(p); // another ID uses the slot meanwhile
        assertFalse(waiting.takeBack(CLOSED), "no slot while the other holds it, and the job closed");
        other.release();
        assertTrue(waiting.takeBack(OPEN));
        assertTrue(waiting.held());
        assertEquals(1, p.inUse());
        waiting.release();
        assertEquals(0, p.inUse());
        assertThrows(IllegalStateException.class, waiting::lend, "a released permit has nothing to lend");
    }

    @Test
    void aPermitLeftLentByAClosedJobGivesNothingBack() throws InterruptedException {
        Permits p = new Permits(1);
        Permits.Permit first = p.acquire(CLOSED);
        first.lend();
        Permits.Permit other = p.acquire(CLOSED);
        assertFalse(first.takeBack(CLOSED));
        assertTrue(first.release(), "ends the permit");
        assertEquals(1, p.inUse(), "without giving back the slot the other holds");
        other.release();
        assertEquals(0, p.inUse());
    }

    @Test
    void aLowerLimitTakesEffectAsPermitsComeBackAndAHigherOneAtOnce() throws InterruptedException {
        Permits p = new Permits(4);
        List<Permits.Permit> held = take(p, 4);
        p.resize(2);
        held.get(0).release();
        assertNull(p.acquire(CLOSED), "3 held, limit 2");
        held.get(1).release();
        assertNull(p.acquire(CLOSED), "2 held, limit 2");
        held.get(2).release();
        assertNotNull(p.acquire(CLOSED), "1 held, limit 2");
        p.resize(5);
        take(p, 3);
        assertEquals(5, p.inUse());
    }

    @Test
    void aWaitingAcquireGetsTheNextSlotGivenBack() throws Exception {
        Permits p = new Permits(1);
        Permits.Permit first = p.acquire(CLOSED);
        AtomicReference<Permits.Permit> got = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                got.set(p.acquire(OPEN));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        first.release();
        waiter.join();
        assertNotNull(got.get());
        assertEquals(1, p.inUse());
    }
}
