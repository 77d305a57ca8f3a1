package dev.harvest.pipeline;

import dev.harvest.config.JobConfig;
import dev.harvest.config.MemoryPlan;
import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Fetcher;
import dev.harvest.fetch.Target;
import dev.harvest.fetch.Targets;
import dev.harvest.read.IdSource;
import dev.harvest.read.InputLine;
import dev.harvest.read.SkipReason;
import dev.harvest.report.RunStats;
import dev.harvest.store.Outcome;
import dev.harvest.store.StoreStage;
import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The card's shape, and the only place harvest is concurrent. The owner thread streams input
 * lines; for each ID it takes a permit and forks a subtask in one {@link StructuredTaskScope}
 * (one virtual thread per ID). Subtasks fetch and put their outcome on a bounded queue; one store
 * thread drains it. A failing ID never cancels the others ({@code awaitAll}); a full queue slows
 * the fetchers, so memory stays bounded however slow the disk. Bodies in memory are bounded by
 * bytes too, from the first byte received until the store has written them: {@link InFlightBodies},
 * a budget of an eighth of the heap, which the fetchers' bodies wait for while still unread.
 */
public final class Pipeline {
    private static final Logger LOG = LogManager.getLogger(Pipeline.class);
    private static final Outcome END = new Outcome(-1, "", null, null, new FetchResult.Abandoned(0, "end"));

    private final JobConfig job;
    private final IdSource source;
    private final StoreStage store;
    private final RunStats stats;
    private final FlowControl flow;
    private final BlockingQueue<Outcome> queue;
    /** Bytes of bodies in memory: received, being received, or waiting for the store. */
    private final InFlightBodies bodies;
    private volatile Thread owner;
    private volatile Thread drainTimer;
    private volatile IOException storeFailure;

    /**
     * @param job    the job
     * @param source the input, already open
     * @param store  the store stage, already open
     * @param stats  counters to fill
     */
    public Pipeline(JobConfig job, IdSource source, StoreStage store, RunStats stats) {
        this.job = job;
        this.source = source;
        this.store = store;
        this.stats = stats;
        this.flow = new FlowControl(job);
        this.queue = new ArrayBlockingQueue<>(Math.max(256, job.concurrency()));
        this.bodies = new InFlightBodies(MemoryPlan.bodyBudget());
    }

    /** The budget bytes an outcome holds until the store has written it (the fetcher took them). */
    private static int weight(FetchResult result) {
        return result instanceof FetchResult.Response r ? r.body().length : 0;
    }

    /** Requests in flight now (for progress). */
    public int inFlight() {
        return Math.max(0, flow.limit() - flow.available());
    }

    /** Retry attempts under way now: retries granted to IDs whose outcome is not stored yet (for progress). */
    public long retrying() {
        return Math.max(0, flow.retriesGranted() - stats.retries());
    }

    /**
     * Runs the job to its end on the calling thread; a stop request may come in through
     * {@code stop}. Call it from a dedicated thread (the CLI's main thread), not from a
     * ForkJoinPool common-pool worker: blocking that pool's only worker on a 2-core machine was
     * seen to stall HTTP exchanges until their timeouts.
     */
    public Ending run(StopRequest stop) throws InterruptedException {
        owner = Thread.currentThread();
        stop.attach(this);
        Thread storeThread = Thread.ofPlatform().name("store").start(this::storeLoop);
        String inputError = null;
        try (Fetcher fetcher = new Fetcher(job, flow, store.lastFetches(), store.downloadTemp(), bodies)) {
            try (var scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.<Void>awaitAll(),
                    cf -> cf.withName("fetch").withThreadFactory(Thread.ofVirtual().name("fetch-", 0).factory()))) {
                try {
                    inputError = feed(scope, fetcher);
                    scope.join();
                } catch (InterruptedException e) {
                    // Hard stop (second signal or drain timeout): close() interrupts the subtasks,
                    // whose unfinished IDs are abandoned and so left for the resume.
                    LOG.warn("stopping now: abandoning requests still in flight");
                }
            }
        } finally {
            owner = null;
            Thread timer = drainTimer;
            if (timer != null) {
                timer.interrupt();
            }
            Thread.interrupted(); // a late interrupt must not break the hand-over to the store
            queue.put(END);
            storeThread.join();
        }
        if (storeFailure != null) {
            return Ending.aborted("cannot write output: " + storeFailure.getMessage());
        }
        if (stop.signal() != null) {
            return Ending.interrupted(stop.signal());
        }
        if (inputError != null) {
            return Ending.aborted(inputError);
        }
        if (flow.aborted()) {
            return Ending.aborted(flow.closedBecause());
        }
        return Ending.completed();
    }

    /**
     * Owner loop: reads lines and forks one subtask per ID. Every ID line is resolved to its target
     * here, in input order, even when a resumed run skips it, so download file names come out the
     * same in every run. Returns an input error, or null.
     */
    private String feed(StructuredTaskScope<Void, Void> scope, Fetcher fetcher) throws InterruptedException {
        BitSet doneBefore = store.doneBefore();
        Targets targets = new Targets(job);
        try {
            InputLine line;
            while (!flow.isClosed() && (line = source.next()) != null) {
                stats.lineRead(source.bytesRead());
                if (line.number() <= Integer.MAX_VALUE && doneBefore.get((int) line.number())) {
                    if (line instanceof InputLine.Id id) {
                        targets.resolve(id.id(), id.url());
                    }
                    stats.skipped(SkipReason.DONE_BEFORE);
                    continue;
                }
                switch (line) {
                    case InputLine.Skipped s -> stats.skipped(s.reason());
                    case InputLine.Invalid bad -> queue.put(new Outcome(bad.number(), bad.id(), null, null,
                            new FetchResult.Failure(FailureReason.INVALID_ID, 0, 0, false, bad.why(), 0)));
                    case InputLine.Id id -> {
                        switch (targets.resolve(id.id(), id.url())) {
                            case Targets.Invalid bad -> queue.put(new Outcome(id.number(), id.id(), id.url(), null,
                                    new FetchResult.Failure(FailureReason.INVALID_URL, 0, 0, false, bad.message(), 0)));
                            case Targets.Ok ok -> {
                                if (!flow.acquire()) {
                                    return null; // closed while waiting: the line stays unprocessed for a resume
                                }
                                scope.fork(() -> fetchOne(fetcher, id, ok.target()));
                            }
                        }
                    }
                }
            }
            return null;
        } catch (IOException e) {
            flow.stop("input error");
            return "cannot read input at line " + (stats.linesRead() + 1) + ": " + e.getMessage();
        }
    }

    /** One subtask: fetch, hand over, give the permit back. Never throws. */
    private void fetchOne(Fetcher fetcher, InputLine.Id id, Target target) {
        try {
            FetchResult result;
            try {
                result = fetcher.fetch(id.id(), target);
            } catch (RuntimeException e) {
                LOG.error("id {} (line {}): internal error; left for a resume", id.id(), id.number(), e);
                result = new FetchResult.Abandoned(0, "internal error: " + e);
            }
            try {
                queue.put(new Outcome(id.number(), id.id(), id.url(), target, result));
            } catch (InterruptedException e) {
                bodies.give(weight(result));
                throw e;
            }
        } catch (InterruptedException e) {
            // Hard stop while handing over: the outcome is not stored, so a resume fetches it again.
        } finally {
            flow.release();
        }
    }

    /** The store thread: the single consumer. After a write failure it keeps draining so no fetcher blocks. */
    private void storeLoop() {
        try {
            while (true) {
                Outcome o = queue.poll(250, TimeUnit.MILLISECONDS);
                if (o == END) {
                    return;
                }
                try {
                    if (storeFailure == null) {
                        if (o != null) {
                            store.accept(o);
                        }
                        store.checkpointIfDue();
                    }
                } catch (IOException e) {
                    storeFailure = e;
                    flow.abort("cannot write output: " + e.getMessage());
                } finally {
                    if (o != null) {
                        bodies.give(weight(o.result()));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stop request: the first stops reading and drains; a second (or the drain timeout) interrupts. */
    void stop(boolean first) {
        flow.stop("stop requested");
        Thread o = owner;
        if (o == null) {
            return;
        }
        if (first) {
            LOG.warn("stop requested: no new requests; waiting up to {} ms for {} in flight",
                    job.drainTimeout().toMillis(), inFlight());
            drainTimer = Thread.ofVirtual().name("drain-timer").start(() -> {
                try {
                    Thread.sleep(job.drainTimeout());
                    o.interrupt();
                } catch (InterruptedException ignored) {
                    // the run ended first
                }
            });
        } else {
            o.interrupt();
        }
    }

    /** Whether the store stage failed (the run cannot complete). */
    public boolean storeFailed() {
        return storeFailure != null;
    }
}
