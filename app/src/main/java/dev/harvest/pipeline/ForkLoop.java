package dev.harvest.pipeline;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Outcome;
import dev.harvest.fetch.RequestSettings;
import dev.harvest.fetch.Target;
import dev.harvest.fetch.Targets;
import dev.harvest.read.InputLine;
import dev.harvest.report.RunStats;
import java.io.IOException;
import java.util.concurrent.StructuredTaskScope;
import java.util.function.BooleanSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The owner's loop: reads lines and, for each ID, takes a permit and forks one subtask on a
 * virtual thread that fetches it and hands its outcome to the store. Every line read ends in
 * exactly one count: an outcome handed over, skipped, done before, or unfinished (a line read
 * but not forked because the run is stopping, an ID whose fetch threw).
 */
final class ForkLoop {
    private static final Logger LOG = LogManager.getLogger(ForkLoop.class);

    private final RequestSettings request;
    private final FlowControl flow;
    private final RunStats stats;
    private final OutcomeSink sink;
    private final FetchStage fetcher;
    private final StoreHandOff store;

    ForkLoop(RequestSettings request, FlowControl flow, RunStats stats, OutcomeSink sink, FetchStage fetcher, StoreHandOff store) {
        this.request = request;
        this.flow = flow;
        this.stats = stats;
        this.sink = sink;
        this.fetcher = fetcher;
        this.store = store;
    }

    /**
     * Reads lines until the input ends or the flow closes, forking one subtask per ID. Every ID
     * line is resolved to its target here, in input order, even when a resumed run skips it, so
     * download file names come out the same in every run. Returns an input error, or null.
     *
     * @throws InterruptedException on a hard stop
     */
    String run(StructuredTaskScope<Void, Void> scope, InputReader input) throws InterruptedException {
        Targets targets = new Targets(request);
        BooleanSupplier closed = flow::isClosed;
        try {
            InputLine line;
            while (!flow.isClosed() && (line = input.next(closed)) != null) {
                stats.lineRead(input.bytesRead());
                if (sink.doneBefore(line.number())) {
                    if (line instanceof InputLine.Id id) {
                        targets.resolve(id.id(), id.url());
                    }
                    stats.doneBefore(); // its outcome is in the counts restored from the journal
                    continue;
                }
                switch (line) {
                    case InputLine.Skipped s -> stats.skipped(s.reason());
                    case InputLine.Invalid bad -> store.put(new Outcome(bad.number(), bad.id(), null, null,
                            new FetchResult.Failure(FailureReason.INVALID_ID, 0, 0, false, bad.why(), 0)));
                    case InputLine.Id id -> {
                        switch (targets.resolve(id.id(), id.url())) {
                            case Targets.Invalid bad -> store.put(new Outcome(id.number(), id.id(), id.url(), null,
                                    new FetchResult.Failure(FailureReason.INVALID_URL, 0, 0, false, bad.message(), 0)));
                            case Targets.Ok ok -> fork(scope, id, ok.target());
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

    /**
     * Takes a permit and forks. A line the run stops before forking (closed or interrupted while
     * waiting for a permit) is left unfinished for a resume.
     */
    private void fork(StructuredTaskScope<Void, Void> scope, InputLine.Id id, Target target) throws InterruptedException {
        Permits.Permit permit;
        try {
            permit = flow.acquire();
        } catch (InterruptedException e) {
            stats.abandonedOne();
            throw e;
        }
        if (permit == null) {
            stats.abandonedOne();
            return;
        }
        try {
            scope.fork(new FetchOne(id, target, permit));
        } catch (RuntimeException | Error e) {
            permit.release();
            stats.abandonedOne();
            throw e;
        }
    }

    /**
     * One subtask: fetch, hand over, release the permit. Never throws. A class rather than a lambda
     * calling a method: two frames fewer under every request, which its virtual thread copies each
     * time it parks in the HTTP client.
     */
    private final class FetchOne implements Runnable {
        private final InputLine.Id id;
        private final Target target;
        private final Permits.Permit permit;

        FetchOne(InputLine.Id id, Target target, Permits.Permit permit) {
            this.id = id;
            this.target = target;
            this.permit = permit;
        }

        @Override
        public void run() {
            try {
                FetchResult result;
                try {
                    result = fetcher.fetch(id.id(), target, permit);
                } catch (RuntimeException e) {
                    LOG.error("id {} (line {}): internal error; left for a resume", id.id(), id.number(), e);
                    result = new FetchResult.Abandoned(0, "internal error: " + e);
                } catch (Error e) {
                    // Not this ID's problem alone: stop the run, resumable.
                    flow.abort(Pipeline.internalError("while fetching", e));
                    result = new FetchResult.Abandoned(0, "internal error: " + e);
                }
                store.put(new Outcome(id.number(), id.id(), id.url(), target, result));
            } catch (InterruptedException e) {
                // Hard stop while handing over: counted unfinished by the hand-off; a resume fetches it again.
            } finally {
                permit.release();
            }
        }
    }
}
