package dev.harvest.pipeline;

import dev.harvest.fetch.BodyBudget;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Gate;
import dev.harvest.fetch.Target;

/**
 * What the pipeline fetches with: one ID per call, each on its own subtask's virtual thread, many
 * at once. The CLI wires in HTTP ({@code dev.harvest.fetch.Fetcher}); tests pass fakes.
 */
public interface FetchStage extends AutoCloseable {

    /**
     * Fetches one ID, retries included, and returns that ID's result. A network or server problem
     * is a {@link FetchResult.Failure}, not an exception; a hard stop (an interrupt) or a closed
     * {@link Gate} gives {@link FetchResult.Abandoned}. A {@link FetchResult.Response}'s body bytes
     * were taken from the {@link BodyBudget} before they were held: the pipeline gives them back
     * once the store has written them. Anything thrown leaves the ID unfinished, and an
     * {@link Error} aborts the run.
     *
     * @param permit the ID's concurrency slot, which its retry waits lend to other IDs ({@link Gate#awaitRetry})
     */
    FetchResult fetch(String id, Target target, Gate.Permit permit);

    /** Called once, after every fetch has returned. */
    @Override
    default void close() {
    }

    /**
     * Opens the fetch stage on the flow control and the body budget of one run, which the pipeline
     * owns (all shared concurrency state lives in the pipeline package).
     */
    @FunctionalInterface
    interface Opener {
        FetchStage open(Gate gate, BodyBudget bodies);
    }
}
