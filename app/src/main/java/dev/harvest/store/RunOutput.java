package dev.harvest.store;

import dev.harvest.report.RunCounts;
import dev.harvest.report.RunStats;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A run's results and failed files and its journal, kept in step: rows are appended, the input
 * lines they finish are noted, and a checkpoint makes the files durable before the journal says
 * what they hold. After a write error the output is broken: it accepts nothing more, and
 * {@link #suspend} cuts the files back to the last checkpoint. Store thread only.
 */
final class RunOutput implements Closeable {
    private static final Logger LOG = LogManager.getLogger(RunOutput.class);
    private static final long CHECKPOINT_NANOS = 1_000_000_000L;
    private static final int CHECKPOINT_LINES = 65_536;

    private final RunFiles files;
    private final OutputFile results;
    private final OutputFile failed;
    private final Journal journal;
    private final RunStats stats;
    private long[] doneSince = new long[1024];
    private int doneCount;
    private long lastCheckpoint = System.nanoTime();
    private long checkpointedResults;
    private long checkpointedFailed;
    private RunCounts checkpointedCounts;
    private boolean broken;
    private boolean closed;

    private RunOutput(RunFiles files, OutputFile results, OutputFile failed, Journal journal, RunStats stats) {
        this.files = files;
        this.results = results;
        this.failed = failed;
        this.journal = journal;
        this.stats = stats;
        this.checkpointedResults = results.offset();
        this.checkpointedFailed = failed.offset();
        this.checkpointedCounts = stats.snapshot();
    }

    /** Reopens an interrupted run's files, cut back to its journal's last usable checkpoint. */
    static RunOutput resume(JournalState state, RunStats stats) throws IOException {
        RunFiles f = state.header().files();
        return new RunOutput(f, OutputFile.resume(f.results(), state.resultsLength()),
                OutputFile.resume(f.failed(), state.failedLength()), Journal.reopen(state), stats);
    }

    /**
     * Creates a new run's files with their header lines and a first checkpoint, warning of other
     * unfinished runs of the job (which a new run leaves alone). If they cannot all
     * be created, those that were are removed again: this is reported as a setup error (exit 2), so
     * nothing of the run may stay behind.
     *
     * @param resultsHeader the results file's header line, or null
     * @param stdout        the stream {@code --results -} writes to
     */
    static RunOutput create(RunPlan plan, byte[] resultsHeader, byte[] failedHeader, OutputStream stdout,
                            RunStats stats) throws IOException {
        RunFiles f = plan.files();
        Path dir = plan.output().outDir();
        for (Path p : JournalReader.unfinished(dir, plan.identity())) {
            LOG.warn("an unfinished run of this job is in {}: {} (use --resume to continue it)", dir, p.getFileName());
        }
        List<Path> created = new ArrayList<>();
        List<Closeable> opened = new ArrayList<>();
        try {
            OutputFile results = f.resultsToStdout() ? OutputFile.stream(stdout) : OutputFile.create(f.results());
            if (!f.resultsToStdout()) {
                created.add(f.resultsPart());
            }
            opened.add(results);
            OutputFile failed = OutputFile.create(f.failed());
            created.add(f.failedPart());
            opened.add(failed);
            Journal journal = Journal.create(f.journal(), new JournalHeader(plan.identity().resume(), f, plan.input()));
            created.add(f.journal());
            opened.add(journal);
            RunOutput out = new RunOutput(f, results, failed, journal, stats);
            if (resultsHeader != null) {
                out.result(resultsHeader, resultsHeader.length);
            }
            out.failed(failedHeader);
            out.checkpoint();
            return out;
        } catch (IOException | RuntimeException e) {
            for (Closeable c : opened) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // deleted next
                }
            }
            for (Path p : created) {
                Files.deleteIfExists(p);
            }
            throw e;
        }
    }

    RunFiles files() {
        return files;
    }

    /** Appends rows to the results. */
    void result(byte[] rows, int length) throws IOException {
        results.write(rows, 0, length);
    }

    /** Appends a row to the failed file. */
    void failed(byte[] row) throws IOException {
        failed.write(row, 0, row.length);
    }

    /** Notes an input line as finished, for the next checkpoint. */
    void done(long line) {
        if (doneCount == doneSince.length) {
            doneSince = Arrays.copyOf(doneSince, doneCount * 2);
        }
        doneSince[doneCount++] = line;
    }

    /** A write failed (or the stage threw): nothing more is written, the last checkpoint stands. */
    void broken() {
        broken = true;
    }

    boolean isBroken() {
        return broken;
    }

    /**
     * Checkpoints when a second has passed or many lines are pending, and only if something was
     * stored since the last one: a throttled or stalled run must not grow its journal by the second.
     */
    void checkpointIfDue() throws IOException {
        boolean changed = doneCount > 0 || results.offset() != checkpointedResults || failed.offset() != checkpointedFailed;
        if (changed && (doneCount >= CHECKPOINT_LINES || System.nanoTime() - lastCheckpoint >= CHECKPOINT_NANOS)) {
            checkpoint();
        }
    }

    /** Makes everything written so far durable against a process kill, then journals it with the counts. */
    void checkpoint() throws IOException {
        if (broken) {
            throw new IOException("an earlier write failed");
        }
        try {
            results.flush();
            failed.flush();
            RunCounts counts = stats.snapshot();
            journal.checkpoint(results.offset(), failed.offset(), doneSince, doneCount, counts);
            checkpointedCounts = counts;
        } catch (IOException e) {
            broken = true;
            throw e;
        }
        checkpointedResults = results.offset();
        checkpointedFailed = failed.offset();
        doneCount = 0;
        lastCheckpoint = System.nanoTime();
    }

    /**
     * Final checkpoint, a synced "completing" line, the renames to the final names, the journal
     * dropped. A kill anywhere in the renames is finished by the next run of the job ({@link RunPlan#prepare}).
     */
    void complete() throws IOException {
        try {
            checkpoint();
            journal.completing();
        } catch (IOException e) {
            broken = true;
            suspend(); // broken now: cuts back and closes, keeping the journal for a resume
            throw e;
        }
        try {
            results.commit();
            failed.commit();
        } catch (IOException e) {
            // The journal says "completing": the next run of the job finishes (or redoes) the renames.
            try {
                close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        journal.delete();
        closed = true;
    }

    /**
     * The run stops unfinished: checkpoint what was written and keep everything for a resume. When
     * broken, the files are cut back to the last checkpoint, which is what the journal says they
     * hold, so the {@code .part} files end on whole lines, and the counts go back with them.
     */
    void suspend() throws IOException {
        try {
            if (!broken) {
                checkpoint();
            }
        } finally {
            if (broken) {
                results.cutBack(checkpointedResults);
                failed.cutBack(checkpointedFailed);
                // The outcomes cut off are left for the resume.
                stats.restore(checkpointedCounts, doneCount);
                doneCount = 0;
            }
            close();
            if (files.resultsToStdout()) {
                // Rows already on standard output cannot be taken back: no resume, so no journal
                // (the failed file's .part keeps what failed so far).
                journal.delete();
            }
        }
    }

    /** Closes without a checkpoint (after a write failure, the journal's last checkpoint stands). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            results.close();
        } finally {
            try {
                failed.close();
            } finally {
                journal.close();
            }
        }
    }
}
