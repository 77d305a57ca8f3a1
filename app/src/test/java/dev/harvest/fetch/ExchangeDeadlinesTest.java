package dev.harvest.fetch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The deadline sweeper interrupts only exchanges past their deadline, and never leaves its
 * interrupt behind for the next blocking call of the thread (the hand-off to the store).
 */
class ExchangeDeadlinesTest {
    @Test
    void anExchangePastItsDeadlineIsInterruptedAndTheInterruptIsClearedWhenItEnds() throws Exception {
        try (ExchangeDeadlines deadlines = new ExchangeDeadlines()) {
            ExchangeDeadlines.Watch w = deadlines.watch(System.nanoTime() + Duration.ofMillis(20).toNanos());
            // what HttpClient.send does while it waits: block until interrupted
            assertThrows(InterruptedException.class, () -> Thread.sleep(5_000));
            assertTrue(deadlines.forget(w), "the sweeper says it cut the exchange");
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void anExchangeThatEndsInTimeIsNeverInterruptedLater() throws Exception {
        try (ExchangeDeadlines deadlines = new ExchangeDeadlines()) {
            ExchangeDeadlines.Watch w = deadlines.watch(System.nanoTime() + Duration.ofMillis(60).toNanos());
            assertFalse(deadlines.forget(w));
            // three sweeps after its deadline: a forgotten exchange is not touched
            Thread.sleep(60 + 3 * ExchangeDeadlines.SWEEP_MILLIS);
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void aResponseThatCameInAsTheDeadlinePassedLeavesNoInterruptBehind() throws Exception {
        try (ExchangeDeadlines deadlines = new ExchangeDeadlines()) {
            ExchangeDeadlines.Watch w = deadlines.watch(System.nanoTime());
            // the response is in, but the sweeper fires before the thread forgets the watch
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertTrue(deadlines.forget(w));
            assertFalse(Thread.interrupted(), "forget clears the sweeper's late interrupt");
        }
    }

    @Test
    void anotherInterruptIsNotTakenForTheDeadline() throws Exception {
        try (ExchangeDeadlines deadlines = new ExchangeDeadlines()) {
            ExchangeDeadlines.Watch w = deadlines.watch(System.nanoTime() + Duration.ofSeconds(60).toNanos());
            Thread.currentThread().interrupt(); // a hard stop
            assertThrows(InterruptedException.class, () -> Thread.sleep(5_000));
            assertFalse(deadlines.forget(w), "not the deadline: the caller rethrows the interrupt");
        }
    }
}
