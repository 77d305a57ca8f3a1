package dev.harvest.cli;

import dev.harvest.fetch.Outcome;
import dev.harvest.pipeline.OutcomeSink;
import dev.harvest.store.StoreStage;
import java.io.IOException;

/**
 * The pipeline's outcome sink for a real run: the store stage, which writes the results and
 * failed files and checkpoints the resume journal.
 *
 * @param store the run's store stage, already open
 */
record StoreStageSink(StoreStage store) implements OutcomeSink {

    @Override
    public boolean doneBefore(long line) {
        return line <= Integer.MAX_VALUE && store.doneBefore().get((int) line);
    }

    @Override
    public void accept(Outcome o) throws IOException {
        store.accept(o);
    }

    @Override
    public void checkpointIfDue() throws IOException {
        store.checkpointIfDue();
    }
}
