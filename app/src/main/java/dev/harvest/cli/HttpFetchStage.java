package dev.harvest.cli;

import dev.harvest.config.JobConfig;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Gate;
import dev.harvest.fetch.Fetcher;
import dev.harvest.fetch.Target;
import dev.harvest.pipeline.FetchStage;
import dev.harvest.store.StoreStage;

/**
 * The pipeline's fetch stage for a real run: HTTP through a {@link Fetcher}, built once the
 * pipeline has made the run's flow control and body budget.
 *
 * @param fetcher the job's fetcher
 */
record HttpFetchStage(Fetcher fetcher) implements FetchStage {

    /** Opens a fetcher for the job, with what the store knows of the previous run (conditional requests, downloads). */
    static FetchStage.Opener opener(JobConfig job, StoreStage store) {
        return (gate, bodies) -> new HttpFetchStage(
                new Fetcher(job.request(), job.flow().retry(), job.flow().concurrency(), gate, store.lastFetches(),
                        store.downloadTemp(), bodies));
    }

    @Override
    public FetchResult fetch(String id, Target target, Gate.Permit permit) {
        return fetcher.fetch(id, target, permit);
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
