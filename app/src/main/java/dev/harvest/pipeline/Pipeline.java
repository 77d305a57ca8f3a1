package dev.harvest.pipeline;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Fetcher;
import dev.harvest.fetch.MemoryPlan;
import dev.harvest.fetch.RequestSettings;
import dev.harvest.fetch.Target;
import dev.harvest.fetch.Targets;
import dev.harvest.read.IdSource;
import dev.harvest.read.InputLine;
import dev.harvest.report.RunStats;
import dev.harvest.store.Outcome;
import dev.harvest.store.StoreStage;
import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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
 *
 * <p>Nothing here may wait for good: the input is read on its own thread ({@link InputReader}),
 * and every wait (a line, a permit, room on the queue, the store) is in slices that look at the
 * stop, the flow's state and whether the store is still there. No failure may lose an ID silently:
 * anything thrown that no stage handles aborts the run (exit 3, resumable), and a run publishes its
 * files only when its books balance (see {@link #unbalanced}).
 */
public final class Pipeline {
    private static final Logger LOG = LogManager.getLogger(Pipeline.class);
    private static final Outcome END = new Outcome(-1, "", null, null, new FetchResult.Abandoned(0, "end"));

    private final FlowSettings settings;
    private final RequestSettings request;
    private final IdSource source;
    private final StoreStage store;
    private final RunStats stats;
    private final FlowControl flow;
    private final BlockingQueue<Outcome> queue;
    /** Bytes of bodies in memory: received, being received, or waiting for the store. */
    private final InFlightBodies bodies;
    private volatile Thread owner;
    private volatile Thread drainTimer;
    /** Why the store stage stopped storing (a write error, or anything it threw), or null. */
    private volatile String storeFailure;
    /** Set when the store thread has ended: nothing may wait for it any more. */
    private volatile boolean storeGone;
    /** Tests only: sees each outcome before the store does, and may throw or drop it (null). */
    private final UnaryOperator<Outcome> beforeStore;

    /**
     * @param settings how to pace the job
     * @param request  what the requests carry
     * @param source the input, already open
     * @param store  the store stage, already open
     * @param stats  counters to fill
     */
    public Pipeline(FlowSettings settings, RequestSettings request, IdSource source, StoreStage store, RunStats stats) {
        this(settings, request, source, store, stats, UnaryOperator.identity());
    }

    /** For tests: {@code beforeStore} stands in for a store stage that throws or loses an outcome. */
    Pipeline(FlowSettings settings, RequestSettings request, IdSource source, StoreStage store, RunStats stats,
             UnaryOperator<Outcome> beforeStore) {
        this.beforeStore = beforeStore;
        this.settings = settings;
        this.request = request;
        this.source = source;
        this.store = store;
        this.stats = stats;
        this.flow = new FlowControl(settings);
        this.queue = new ArrayBlockingQueue<>(Math.max(256, settings.concurrencyInFlight()));
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

    /** The concurrency limit now (for progress). */
    public int concurrencyLimit() {
        return flow.limit();
    }

    /** The latency floor {@code --concurrency auto} measured, in ms; NaN for a fixed limit (for progress). */
    public double latencyFloorMillis() {
        return flow.latencyFloorMillis();
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
        long outcomesBefore = stats.ok() + stats.failedTotal(); // a resume starts with the journal's counts
        stop.attach(this);
        Thread storeThread = Thread.ofPlatform().name("store").start(this::storeLoop);
        String inputError = null;
        String internalError = null;
        try (InputReader input = new InputReader(source);
             Fetcher fetcher = new Fetcher(request, settings.retry(), settings.concurrency(), flow,
                     store.lastFetches(), store.downloadTemp(), bodies)) {
            try (var scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.<Void>awaitAll(),
                    cf -> cf.withName("fetch").withThreadFactory(Thread.ofVirtual().name("fetch-", 0).factory()))) {
                try {
                    inputError = feed(scope, fetcher, input);
                } catch (InterruptedException e) {
                    // Hard stop: join below returns at once, and close() interrupts the subtasks,
                    // whose unfinished IDs are left for the resume.
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    internalError = internalError("while handing out the input", e);
                    flow.abort(internalError);
                }
                try {
                    // Always attempted, even after a stop: a scope closed by an owner that never
                    // joined throws instead of closing ("Owner did not join after forking").
                    scope.join();
                } catch (InterruptedException e) {
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
            handOverEnd(storeThread);
        }
        if (storeFailure != null) {
            return Ending.aborted(storeFailure);
        }
        if (stop.signal() != null) {
            return Ending.interrupted(stop.signal());
        }
        if (internalError != null) {
            return Ending.aborted(internalError);
        }
        if (inputError != null) {
            return Ending.aborted(inputError);
        }
        if (flow.aborted()) {
            return Ending.aborted(flow.closedBecause());
        }
        String unbalanced = unbalanced(outcomesBefore);
        if (unbalanced != null) {
            LOG.error("not publishing the output: {}", unbalanced);
            return Ending.aborted(unbalanced);
        }
        return Ending.completed();
    }

    /**
     * The run's own books, checked before its files are published: every line read ended in
     * exactly one count (ok, failed, skipped, unfinished for a resume, or done before: a resumed
     * run reads the lines an earlier run finished again, and their journaled outcomes are in the
     * restored counts, so those are left out here). Returns null when they balance, else what is wrong.
     */
    private String unbalanced(long outcomesBefore) {
        long outcomes = stats.ok() + stats.failedTotal() - outcomesBefore;
        long accounted = outcomes + stats.skippedTotal() + stats.abandoned() + stats.doneBeforeLines();
        if (accounted == stats.linesRead()) {
            return null;
        }
        return "internal error: " + stats.linesRead() + " lines read but " + accounted + " accounted for ("
                + outcomes + " ok or failed, " + stats.skippedTotal() + " skipped, " + stats.abandoned()
                + " unfinished, " + stats.doneBeforeLines() + " done before); see the log";
    }

    /** One line for an unexpected exception (its message may quote data: the log has it, with the stack). */
    private static String internalError(String where, Throwable e) {
        LOG.error("internal error {}", where, e);
        return "internal error " + where + " (" + e.getClass().getName() + "); see the log";
    }

    /** Hands END to the store and waits for it to finish the queue; uninterruptible, but never waits for a dead store. */
    private void handOverEnd(Thread storeThread) {
        boolean interrupted = false;
        while (true) {
            try {
                if (storeGone || queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        while (true) {
            try {
                storeThread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            LOG.debug("interrupted while finishing the store; ignored");
        }
    }

    /**
     * Owner loop: reads lines and forks one subtask per ID. Every ID line is resolved to its target
     * here, in input order, even when a resumed run skips it, so download file names come out the
     * same in every run. Returns an input error, or null.
     */
    private String feed(StructuredTaskScope<Void, Void> scope, Fetcher fetcher, InputReader input)
            throws InterruptedException {
        BitSet doneBefore = store.doneBefore();
        Targets targets = new Targets(request);
        try {
            InputLine line;
            while (!flow.isClosed() && (line = input.next(flow::isClosed)) != null) {
                stats.lineRead(input.bytesRead());
                if (line.number() <= Integer.MAX_VALUE && doneBefore.get((int) line.number())) {
                    if (line instanceof InputLine.Id id) {
                        targets.resolve(id.id(), id.url());
                    }
                    stats.doneBefore(); // its outcome is in the counts restored from the journal
                    continue;
                }
                switch (line) {
                    case InputLine.Skipped s -> stats.skipped(s.reason());
                    case InputLine.Invalid bad -> handOver(new Outcome(bad.number(), bad.id(), null, null,
                            new FetchResult.Failure(FailureReason.INVALID_ID, 0, 0, false, bad.why(), 0)));
                    case InputLine.Id id -> {
                        switch (targets.resolve(id.id(), id.url())) {
                            case Targets.Invalid bad -> handOver(new Outcome(id.number(), id.id(), id.url(), null,
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
            } catch (Error e) {
                // Not this ID's problem alone: stop the run, resumable.
                flow.abort(internalError("while fetching", e));
                result = new FetchResult.Abandoned(0, "internal error: " + e);
            }
            handOver(new Outcome(id.number(), id.id(), id.url(), target, result));
        } catch (InterruptedException e) {
            // Hard stop while handing over: the outcome is not stored, so a resume fetches it again.
        } finally {
            flow.release();
        }
    }

    /**
     * Puts an outcome on the queue, waiting for room in slices (its body's bytes are already in the budget). When the
     * store thread has gone the outcome is dropped (the run is aborting; a resume redoes the line),
     * so a dead consumer never holds a producer.
     */
    private void handOver(Outcome o) throws InterruptedException {
        // The body's bytes were taken from the budget as they arrived; the store gives them back.
        try {
            while (!queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
                if (storeGone) {
                    bodies.give(weight(o.result()));
                    return;
                }
            }
        } catch (InterruptedException e) {
            bodies.give(weight(o.result()));
            throw e;
        }
    }

    /**
     * The store thread: the single consumer. After a failure it stops storing but keeps draining, so
     * no fetcher blocks; anything it throws stops the run (exit 3) with the journal's last checkpoint
     * intact. Should the thread end any other way, producers see {@link #storeGone} and stop waiting.
     */
    private void storeLoop() {
        try {
            while (true) {
                Outcome o = queue.poll(250, TimeUnit.MILLISECONDS);
                if (o == END) {
                    return;
                }
                try {
                    if (storeFailure == null) {
                        Outcome kept = o == null ? null : beforeStore.apply(o);
                        if (kept != null) {
                            store.accept(kept);
                        }
                        store.checkpointIfDue();
                    }
                } catch (IOException e) {
                    stopStoring("cannot write output: " + e.getMessage());
                } catch (RuntimeException | Error e) {
                    stopStoring(internalError("in the store stage", e));
                } finally {
                    if (o != null) {
                        bodies.give(weight(o.result()));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            stopStoring(internalError("in the store thread", e));
        } finally {
            storeGone = true;
            if (storeFailure == null && owner != null) {
                stopStoring("internal error: the store thread ended early");
            }
        }
    }

    private void stopStoring(String why) {
        if (storeFailure == null) {
            storeFailure = why;
        }
        flow.abort(why);
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
                    settings.drainTimeout().toMillis(), inFlight());
            drainTimer = Thread.ofVirtual().name("drain-timer").start(() -> {
                try {
                    Thread.sleep(settings.drainTimeout());
                    o.interrupt();
                } catch (InterruptedException ignored) {
                    // the run ended first
                }
            });
        } else {
            o.interrupt();
        }
    }
}
