package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.harvest.fetch.BodyBudget;
import dev.harvest.fetch.Outcome;
import dev.harvest.report.RunStats;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The store thread takes outcomes off the queue in batches: each one still ends stored or unfinished. */
@Timeout(30)
class StoreHandOffTest {

    @Test
    void outcomesTakenInABatchButNeverStoredAreCountedUnfinished() throws Exception {
        RunStats stats = new RunStats();
        Fakes.RecordingSink sink = new Fakes.RecordingSink(stats);
        InFlightBodies budget = new InFlightBodies(1 << 20);
        AtomicInteger gives = new AtomicInteger();
        BodyBudget failsOnce = new BodyBudget() { // a bug on the store thread, outside the sink
            @Override
            public boolean take(Object body, long bytes, boolean started, Runnable granted) {
                return budget.take(body, bytes, started, granted);
            }

            @Override
            public void force(long bytes) {
                budget.force(bytes);
            }

            @Override
            public void give(long bytes) {
                budget.give(bytes);
                if (gives.incrementAndGet() == 10) {
                    throw new IllegalStateException("budget bug");
                }
            }

            @Override
            public void finished(Object body) {
                budget.finished(body);
            }
        };
        StoreHandOff handOff = new StoreHandOff(256, sink, failsOnce, stats, new FlowControl(Fakes.job().flow()));
        for (int line = 1; line <= 100; line++) { // all queued before the store starts: one batch
            handOff.put(new Outcome(line, "C" + line, null, null, Fakes.response(failsOnce, 10)));
        }
        handOff.start();
        handOff.finish();

        assertNotNull(handOff.failure());
        assertEquals(10, stats.ok(), "stored before the bug");
        assertEquals(90, stats.abandoned(), "the rest of the batch is left for a resume");
    }
}
