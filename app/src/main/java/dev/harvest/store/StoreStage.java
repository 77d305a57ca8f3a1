package dev.harvest.store;

import dev.harvest.fetch.LastFetch;
import dev.harvest.fetch.Outcome;
import dev.harvest.report.RunStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The single store stage: takes each {@link Outcome} and has an {@link OutcomeWriter} write its
 * results rows (as the job's {@link ResultShape} renders them) or failed row to the run's files,
 * which the journal checkpoints so a killed run resumes exactly once ({@link RunOutput}). A
 * downloaded file is renamed on this stage's thread from its temporary name, so the rename is
 * ordered with the journal. Owns the run's files from open to complete or suspend. Not
 * thread-safe by design: the pipeline calls it from one thread only.
 */
public final class StoreStage implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(StoreStage.class);

    private final RunOutput output;
    private final BitSet doneBefore;
    private final ConditionalState conditional;
    private final Path downloadTemp;
    private final OutcomeWriter writer;

    private StoreStage(RunOutput output, BitSet doneBefore, ResultShape shape, FailedRows failedRows,
                       ConditionalState conditional, Path downloadTemp, RunStats stats) {
        this.output = output;
        this.doneBefore = doneBefore;
        this.conditional = conditional;
        this.downloadTemp = downloadTemp;
        this.writer = new OutcomeWriter(output, shape, failedRows, conditional, stats);
    }

    /** As {@link #open(RunPlan, RunStats, OutputStream)}, for results that do not go to standard output. */
    public static StoreStage open(RunPlan plan, RunStats stats) throws IOException {
        return open(plan, stats, null);
    }

    /**
     * Creates (or for a resume, reopens and cuts back) the run's files; reads the job's conditional
     * state; in download mode prepares the temporary directory, removing what a killed run left.
     * If a new run's files cannot all be created, those that were are removed again.
     *
     * @param stdout standard output, used when the results go there
     */
    public static StoreStage open(RunPlan plan, RunStats stats, OutputStream stdout) throws IOException {
        OutputSettings settings = plan.output();
        ResultShape shape = ResultShape.of(settings);
        FailedRows failedRows = new FailedRows(settings.mode().perRowUrls(), plan.secrets());
        ConditionalState conditional = settings.mode().conditional()
                ? ConditionalState.load(plan.identity().validatorsFile(settings.outDir())) : null;
        Path temp = shape.savesFiles() ? DownloadTemp.prepare(plan.identity().downloadTemp(settings.mode().saveTo())) : null;
        JournalState state = plan.resumed();
        if (state != null) {
            stats.restore(state.counts(), 0);
            LOG.info("resuming run {}: {} lines already done; results cut back to {} bytes, failed to {} bytes",
                    plan.files().stamp(), state.done().cardinality(), state.resultsLength(), state.failedLength());
            return new StoreStage(RunOutput.resume(state, stats), state.done(), shape, failedRows, conditional, temp,
                    stats);
        }
        String header = shape.header();
        RunOutput output = RunOutput.create(plan, header == null ? null : header.getBytes(StandardCharsets.UTF_8),
                failedRows.header(), stdout, stats);
        return new StoreStage(output, new BitSet(), shape, failedRows, conditional, temp, stats);
    }

    /** What the previous run got per ID, for conditional requests (empty when they are off). Read-only. */
    public Map<String, LastFetch> lastFetches() {
        return conditional == null ? Map.of() : conditional.previous();
    }

    /** Where the fetchers stream download bodies, or null when bodies stay in memory. */
    public Path downloadTemp() {
        return downloadTemp;
    }

    /** This run's files. */
    public RunFiles files() {
        return output.files();
    }

    /** Input lines completed by the run being resumed (empty for a new run). Read-only. */
    public BitSet doneBefore() {
        return doneBefore;
    }

    /**
     * Records one outcome; abandoned work is counted but not journaled, so a resume redoes it. A body
     * that cannot be rendered is that ID's failure, not the run's; anything else thrown here leaves
     * the stage broken, like a write error.
     *
     * @throws IOException when an output file cannot be written (disk full); the stage is then
     *                     broken: it accepts nothing more, and {@link #suspend} keeps the last checkpoint
     */
    public void accept(Outcome o) throws IOException {
        if (output.isBroken()) {
            throw new IOException("an earlier write failed");
        }
        try {
            writer.write(o);
        } catch (IOException | RuntimeException | Error e) {
            output.broken();
            throw e;
        }
    }

    /** Checkpoints when a second has passed or many lines are pending, if anything was stored since the last. */
    public void checkpointIfDue() throws IOException {
        output.checkpointIfDue();
    }

    /** Makes everything accepted so far durable against a process kill, then journals it. */
    public void checkpoint() throws IOException {
        output.checkpoint();
    }

    /**
     * The run is complete: final checkpoint, a synced "completing" line, rename the files to their
     * real names, drop the journal; then keep the validators and remove the download directory.
     * A kill anywhere in the renames is finished by the next run of the job ({@link RunPlan#prepare}).
     */
    public void complete() throws IOException {
        output.complete();
        if (conditional != null) {
            conditional.save();
        }
        if (downloadTemp != null) {
            DownloadTemp.remove(downloadTemp);
        }
    }

    /**
     * The run stops unfinished: checkpoint what was accepted and keep everything for a resume. After
     * a write failure nothing more is written: the files are cut back to the last checkpoint.
     */
    public void suspend() throws IOException {
        boolean wasBroken = output.isBroken();
        output.suspend();
        if (!wasBroken && conditional != null) {
            // Safe before completion: an entry is only used while its file is exactly as recorded.
            conditional.save();
        }
    }

    /** Closes without a checkpoint (after a write failure, the journal's last checkpoint stands). */
    @Override
    public void close() throws IOException {
        output.close();
    }
}
