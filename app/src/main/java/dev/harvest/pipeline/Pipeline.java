package dev.harvest.pipeline;

import dev.harvest.fetch.MemoryPlan;
import dev.harvest.fetch.RequestSettings;
import dev.harvest.read.IdSource;
import dev.harvest.report.RunStats;
import java.util.concurrent.StructuredTaskScope;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The card's shape, and the only place harvest is concurrent. The owner thread streams input
 * lines; for each ID it takes a permit and forks a subtask in one {@link StructuredTaskScope}
 * (one virtual thread per ID) that fetches it through the {@link FetchStage} ({@link ForkLoop}).
 * Outcomes go through a bounded hand-off to one store thread and the {@link OutcomeSink}
 * ({@link StoreHandOff}). A failing ID never cancels the others ({@code awaitAll}); a full queue
 * slows the fetchers, so memory stays bounded however slow the disk. Bodies in memory are bounded
 * by bytes too, from the first byte received until the store has written them:
 * {@link InFlightBodies}, a budget of an eighth of the heap, which the fetchers' bodies wait for
 * while still unread.
 *
 * <p>Nothing here may wait for good: the input is read on its own thread ({@link InputReader}),
 * and every wait (a line, a permit, room on the queue, the store) is in slices that look at the
 * stop, the flow's state and whether the store is still there; a stop request comes in through
 * {@link Drain}. No failure may lose an ID silently: anything thrown that no stage handles aborts
 * the run (exit 3, resumable), and a run publishes its files only when its books balance (see
 * {@link #unbalanced}).
 */
public final class Pipeline {
    private static final Logger LOG = LogManager.getLogger(Pipeline.class);

    private final FlowSettings settings;
    private final RequestSettings request;
    private final IdSource source;
    private final FetchStage.Opener fetchStage;
    private final OutcomeSink sink;
    private final RunStats stats;
    private final FlowControl flow;
    /** Bytes of bodies in memory: received, being received, or waiting for the store. */
    private final InFlightBodies bodies;
    private final Drain drain;

    /**
     * @param settings   how to pace the job
     * @param request    what the requests carry (the targets are resolved from it)
     * @param source     the input, already open
     * @param fetchStage opens what fetches each ID, on this run's flow control and body budget
     * @param sink       the store stage, already open
     * @param stats      counters to fill
     */
    public Pipeline(FlowSettings settings, RequestSettings request, IdSource source, FetchStage.Opener fetchStage,
                    OutcomeSink sink, RunStats stats) {
        this(settings, request, source, fetchStage, sink, stats, MemoryPlan.bodyBudget());
    }

    /** @param bodyBudget bytes bodies may hold in memory together (tests use a small one) */
    Pipeline(FlowSettings settings, RequestSettings request, IdSource source, FetchStage.Opener fetchStage,
             OutcomeSink sink, RunStats stats, long bodyBudget) {
        this.settings = settings;
        this.request = request;
        this.source = source;
        this.fetchStage = fetchStage;
        this.sink = sink;
        this.stats = stats;
        this.flow = new FlowControl(settings);
        this.bodies = new InFlightBodies(bodyBudget);
        this.drain = new Drain(flow, settings.drainTimeout(), this::inFlight);
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
        long outcomesBefore = stats.ok() + stats.failedTotal(); // a resume starts with the journal's counts
        drain.begin(Thread.currentThread());
        stop.attach(this);
        StoreHandOff store = new StoreHandOff(Math.max(256, settings.concurrencyInFlight()), sink, bodies, stats, flow);
        store.start();
        String inputError = null;
        String internalError = null;
        String storeFailure;
        try (InputReader input = new InputReader(source);
             FetchStage fetcher = fetchStage.open(flow, bodies);
             var scope = StructuredTaskScope.open(StructuredTaskScope.Joiner.<Void>awaitAll(),
                     cf -> cf.withName("fetch").withThreadFactory(Thread.ofVirtual().name("fetch-", 0).factory()))) {
            try {
                inputError = new ForkLoop(request, flow, stats, sink, fetcher, store).run(scope, input);
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
        } finally {
            drain.end();
            Thread.interrupted(); // a late interrupt must not break the hand-over to the store
            store.finish();
            storeFailure = store.failure();
        }
        return ending(stop, outcomesBefore, storeFailure, inputError, internalError);
    }

    /** How the run ended, the first cause winning: the store, a signal, the run's own errors, the books. */
    private Ending ending(StopRequest stop, long outcomesBefore, String storeFailure, String inputError,
                         String internalError) {
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
    static String internalError(String where, Throwable e) {
        LOG.error("internal error {}", where, e);
        return "internal error " + where + " (" + e.getClass().getName() + "); see the log";
    }

    /** A stop request: the first stops reading and drains; a second (or the drain timeout) interrupts. */
    void stop(boolean first) {
        drain.stop(first);
    }
}
