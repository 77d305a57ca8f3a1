package dev.harvest.pipeline;

import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Outcome;
import java.io.IOException;

/**
 * Where the pipeline's outcomes go: the store stage. {@link #accept} and {@link #checkpointIfDue}
 * are called from the pipeline's one store thread only, so an implementation needs no locking.
 */
public interface OutcomeSink {

    /**
     * Whether an earlier run of this job finished the line (a resume passes over it). Called by the
     * pipeline's owner thread; the answer must not change during the run.
     */
    boolean doneBefore(long line);

    /**
     * Records one outcome and counts it in the run's stats: ok, failed, or unfinished for
     * {@link FetchResult.Abandoned}. Anything thrown stops the run (exit 3); the pipeline then
     * counts this and every later outcome as unfinished, and passes no more on.
     *
     * @throws IOException when an output cannot be written
     */
    void accept(Outcome o) throws IOException;

    /** Called between outcomes and at least every quarter second: a chance to make what was accepted durable. */
    void checkpointIfDue() throws IOException;
}
