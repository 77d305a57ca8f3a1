package dev.harvest.pipeline;

import dev.harvest.fetch.BodyBudget;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Outcome;
import dev.harvest.report.RunStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The bounded hand-off from the fetch subtasks to the one store thread, which passes each outcome
 * to the {@link OutcomeSink}. A full queue slows the fetchers, so memory stays bounded however slow
 * the disk; a body's bytes go back to the budget only once the store has written it.
 *
 * <p>Every outcome handed over ends in exactly one place: the sink, or counted as unfinished
 * (left for a resume) when the sink failed, the store thread is gone, or a hard stop interrupted
 * the hand-over. Nothing waits for a dead store: after a failure the thread keeps draining (and
 * stops the run through the flow control), and should it end anyway producers stop waiting.
 */
final class StoreHandOff {
    private static final Logger LOG = LogManager.getLogger(StoreHandOff.class);
    private static final Outcome END = new Outcome(-1, "", null, null, new FetchResult.Abandoned(0, "end"));
    /** Outcomes taken off the queue at once. */
    private static final int BATCH = 256;
    /** Fewer outcomes than this at once: the store waits {@link #LINGER_NANOS} for more before it looks again. */
    private static final int FEW = 16;
    private static final long LINGER_NANOS = 1_000_000;

    private final BlockingQueue<Outcome> queue;
    private final OutcomeSink sink;
    private final BodyBudget bodies;
    private final RunStats stats;
    private final FlowControl flow;
    private final Thread thread;
    /** Why the store stopped storing (a write error, or anything the sink threw), or null. */
    private volatile String failure;
    /** Set when the store thread has ended: nothing may wait for it any more. */
    private volatile boolean gone;

    StoreHandOff(int capacity, OutcomeSink sink, BodyBudget bodies, RunStats stats, FlowControl flow) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sink = sink;
        this.bodies = bodies;
        this.stats = stats;
        this.flow = flow;
        this.thread = Thread.ofPlatform().name("store").unstarted(this::storeLoop);
    }

    /** Starts the store thread. */
    void start() {
        thread.start();
    }

    /** The budget bytes an outcome holds until the store has written it (the fetcher took them). */
    private static long weight(Outcome o) {
        return o.result() instanceof FetchResult.Response r ? r.body().length : 0;
    }

    /**
     * Producer: puts an outcome on the queue, waiting for room in slices. When the store thread has
     * gone the outcome is dropped as unfinished (the run is aborting), so a dead consumer never
     * holds a producer.
     *
     * @throws InterruptedException on a hard stop; the outcome is then dropped as unfinished
     */
    void put(Outcome o) throws InterruptedException {
        try {
            while (!queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
                if (gone) {
                    drop(o);
                    return;
                }
            }
        } catch (InterruptedException e) {
            drop(o);
            throw e;
        }
    }

    /** An outcome that will not be stored: unfinished, so a resume does the line again. */
    private void drop(Outcome o) {
        bodies.give(weight(o));
        stats.abandonedOne();
    }

    /**
     * Owner, once no producer is left: hands END over and waits for the store thread to finish the
     * queue. Uninterruptible (the last outcomes must be stored or counted), but never waits for a
     * dead store.
     */
    void finish() {
        boolean interrupted = false;
        while (true) {
            try {
                if (gone || queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            LOG.debug("interrupted while finishing the store; ignored");
        }
    }

    /** Why the store stopped storing, or null while it works. */
    String failure() {
        return failure;
    }

    /** The store thread: the single consumer. */
    private void storeLoop() {
        boolean ended = false;
        List<Outcome> batch = new ArrayList<>(BATCH);
        int next = 0; // the batch's first outcome not yet stored
        try {
            while (!ended) {
                if (queue.drainTo(batch, BATCH) == 0) {
                    Outcome o = queue.poll(250, TimeUnit.MILLISECONDS);
                    if (o != null) {
                        batch.add(o);
                    }
                }
                boolean few = !batch.isEmpty() && batch.size() < FEW;
                while (next < batch.size() && !ended) {
                    Outcome o = batch.get(next++);
                    if (o == END) {
                        ended = true; // always the last one handed over
                    } else {
                        store(o);
                    }
                }
                batch.clear();
                next = 0;
                if (ended) {
                    return;
                }
                if (failure == null) {
                    try {
                        sink.checkpointIfDue();
                    } catch (IOException e) {
                        fail("cannot write output: " + e.getMessage());
                    } catch (RuntimeException | Error e) {
                        fail(Pipeline.internalError("in the store stage", e));
                    }
                }
                if (few) {
                    // Outcomes trickle in: wait a moment for more, so that one wake-up of this
                    // thread stores many. Woken by each hand-over, it cost more CPU than storing
                    // the outcome (and the fetchers' hand-overs more, each waking it).
                    TimeUnit.NANOSECONDS.sleep(LINGER_NANOS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            fail(Pipeline.internalError("in the store thread", e));
        } finally {
            gone = true;
            if (!ended) {
                fail("internal error: the store thread ended early");
            }
            for (int k = next; k < batch.size(); k++) { // taken off the queue, never passed to the sink
                if (batch.get(k) != END) {
                    drop(batch.get(k));
                }
            }
        }
    }

    /** Stores one outcome; after a failure, counts it unfinished instead. */
    private void store(Outcome o) {
        try {
            if (failure != null) {
                stats.abandonedOne();
                return;
            }
            try {
                sink.accept(o);
            } catch (IOException e) {
                stats.abandonedOne();
                fail("cannot write output: " + e.getMessage());
            } catch (RuntimeException | Error e) {
                stats.abandonedOne();
                fail(Pipeline.internalError("in the store stage", e));
            }
        } finally {
            bodies.give(weight(o));
        }
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
        }
        flow.abort(why);
    }
}
