package dev.harvest.store;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.LastFetch;
import dev.harvest.fetch.Outcome;
import dev.harvest.read.IdCheck;
import dev.harvest.report.RunStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The single store stage: takes each {@link Outcome}, asks the job's {@link ResultShape} for its
 * results rows (or writes a failed row), and writes them to the run's files, which the journal
 * checkpoints so a killed run resumes exactly once ({@link RunOutput}). A downloaded file is
 * renamed here from its temporary name, so the rename is ordered with the journal. Not
 * thread-safe by design: the pipeline calls it from one thread only.
 */
public final class StoreStage implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(StoreStage.class);

    private final RunOutput output;
    private final BitSet doneBefore;
    private final ResultShape shape;
    private final FailedRows failedRows;
    private final ConditionalState conditional;
    private final Path downloadTemp;
    private final RunStats stats;
    private final ByteSink sink = new ByteSink();

    private StoreStage(RunOutput output, BitSet doneBefore, ResultShape shape, FailedRows failedRows,
                       ConditionalState conditional, Path downloadTemp, RunStats stats) {
        this.output = output;
        this.doneBefore = doneBefore;
        this.shape = shape;
        this.failedRows = failedRows;
        this.conditional = conditional;
        this.downloadTemp = downloadTemp;
        this.stats = stats;
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
            store(o);
        } catch (IOException | RuntimeException | Error e) {
            output.broken();
            throw e;
        }
    }

    private void store(Outcome o) throws IOException {
        switch (o.result()) {
            case FetchResult.Response r -> {
                stats.exchange(r.status(), r.attempts(), r.body().length, r.latencyNanos());
                sink.reset();
                Rendered rendered;
                try {
                    rendered = shape.render(o, r, sink);
                } catch (RuntimeException e) {
                    rendered = unrenderable(o, e);
                }
                switch (rendered) {
                    case Rendered.Rows rows -> {
                        output.result(sink.array(), sink.length());
                        stats.ok(rows.count(), r.latencyNanos());
                        if (conditional != null) {
                            conditional.remember(o, r.validators(), null, null);
                        }
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("id {} (line {}): HTTP {}, {} row(s), {} attempt(s)", o.id(), o.line(),
                                    r.status(), rows.count(), r.attempts());
                        }
                    }
                    case Rendered.Rejected bad -> failed(o, bad.reason(), r.status(), r.attempts(), false, bad.message());
                }
            }
            case FetchResult.Saved f -> {
                stats.exchange(f.status(), f.attempts(), f.bytes(), f.latencyNanos());
                if (f.bytes() == 0) {
                    Files.deleteIfExists(f.temp());
                    failed(o, FailureReason.EMPTY_BODY, f.status(), f.attempts(), false,
                            "HTTP " + f.status() + " with an empty body");
                } else {
                    saved(o, f);
                }
            }
            case FetchResult.Unchanged u -> {
                stats.exchange(304, u.attempts(), 0, u.latencyNanos());
                sink.reset();
                int rows = shape.unchanged(o, u.previous(), sink);
                if (rows > 0) {
                    output.result(sink.array(), sink.length());
                }
                stats.unchanged(rows, u.latencyNanos());
                LOG.debug("id {} (line {}): not modified since the previous run", o.id(), o.line());
            }
            case FetchResult.Failure f -> {
                stats.exchange(f.status(), f.attempts(), 0, f.latencyNanos());
                failed(o, f.reason(), f.status(), f.attempts(), f.retryable(), f.message());
            }
            case FetchResult.Abandoned a -> {
                stats.abandonedOne();
                LOG.debug("id {} (line {}): not finished ({}); left for a resume", o.id(), o.line(), a.why());
                return;
            }
        }
        output.done(o.line());
    }

    /**
     * A body the renderer threw on (a number too large for it, say) goes to the failed file as
     * malformed, not retryable; nothing of it was written, since rows are rendered to a buffer first.
     */
    private Rendered.Rejected unrenderable(Outcome o, RuntimeException e) {
        LOG.error("id {} (line {}): cannot render the body", o.id(), o.line(), e);
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new Rendered.Rejected(shape.unrenderable(),
                "cannot render the body: " + (why.length() > 200 ? why.substring(0, 200) + "..." : why));
    }

    /**
     * Moves a finished download to its final name (atomically replacing last night's file) and
     * writes its row. A kill after the rename but before the next checkpoint leaves the line
     * unjournaled: the resume downloads it again and the rename replaces the file with an
     * identical or newer one, so the results still list it exactly once.
     */
    private void saved(Outcome o, FetchResult.Saved f) throws IOException {
        Path target = o.target().file();
        try {
            Files.move(f.temp(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(f.temp());
            throw new IOException("cannot move the download of " + o.id() + " to " + target + ": " + e.getMessage(), e);
        }
        sink.reset();
        shape.saved(o, f, target, sink);
        output.result(sink.array(), sink.length());
        stats.ok(1, f.latencyNanos());
        if (conditional != null) {
            conditional.remember(o, f.validators(), target, f);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("id {} (line {}): HTTP {}, {} bytes saved as {}", o.id(), o.line(), f.status(), f.bytes(), target);
        }
    }

    private void failed(Outcome o, FailureReason reason, int status, int attempts, boolean retryable, String message)
            throws IOException {
        output.failed(failedRows.row(o, reason, status, attempts, retryable, message));
        stats.failed(reason, o.result().latencyNanos());
        LOG.error("id {} (line {}) failed: {} after {} attempt(s): {}", IdCheck.shown(o.id()), o.line(), reason.label(),
                attempts, message);
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
