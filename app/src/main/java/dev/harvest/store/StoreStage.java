package dev.harvest.store;

import dev.harvest.config.ConfigException;
import dev.harvest.config.JobConfig;
import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.report.RunStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The single parse/store stage: turns each {@link Outcome} into a results row or a failed row,
 * and checkpoints the journal so a killed run resumes exactly once. Not thread-safe by design:
 * the pipeline calls it from one thread only.
 */
public final class StoreStage implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(StoreStage.class);
    private static final String FAILED_HEADER = Csv.row("id", "reason", "http_status", "attempts", "retryable", "message");
    private static final long CHECKPOINT_NANOS = 1_000_000_000L;
    private static final int CHECKPOINT_LINES = 65_536;

    private final RunFiles files;
    private final OutputFile results;
    private final OutputFile failed;
    private final Journal journal;
    private final BitSet doneBefore;
    private final ResponseRenderer renderer;
    private final RunStats stats;
    private final ByteSink sink = new ByteSink();
    private long[] doneSince = new long[1024];
    private int doneCount;
    private long lastCheckpoint = System.nanoTime();
    private long checkpointedResults;
    private long checkpointedFailed;
    private boolean broken;
    private boolean finished;

    private StoreStage(RunFiles files, OutputFile results, OutputFile failed, Journal journal, BitSet doneBefore,
                       ResponseRenderer renderer, RunStats stats) {
        this.files = files;
        this.results = results;
        this.failed = failed;
        this.journal = journal;
        this.doneBefore = doneBefore;
        this.renderer = renderer;
        this.stats = stats;
        this.checkpointedResults = results.offset();
        this.checkpointedFailed = failed.offset();
    }

    /**
     * What {@link #prepare} found: the run's files and, for a resume, the journal's state. Nothing
     * has been created or logged yet.
     *
     * @param job         the job
     * @param files       the run's files
     * @param fingerprint the job's resume fingerprint
     * @param resumed     the interrupted run's state, or null for a new run
     */
    public record Plan(JobConfig job, RunFiles files, String fingerprint, Journal.State resumed) {
    }

    /**
     * Checks the output directory and decides the run's files: a new run's stamped names, or with
     * {@code --resume} the newest unfinished run of the same job. Creates nothing.
     *
     * @throws ConfigException when the directory is missing or unwritable, a file exists, or there
     *                         is nothing to resume
     */
    public static Plan prepare(JobConfig job, String stamp) throws ConfigException, IOException {
        Path dir = job.outDir();
        checkOutDir(job);
        String fingerprint = fingerprint(job);
        String shardSuffix = job.shard().count() > 1 ? job.shard().fileSuffix() : "";
        java.util.Optional<Path> resumable = job.resume() == ResumeMode.NO ? java.util.Optional.empty()
                : Journal.findResumable(dir, fingerprint, shardSuffix);
        if (job.resume() == ResumeMode.YES && resumable.isEmpty()) {
            throw new ConfigException("--resume: no unfinished run of this job in " + dir
                    + " (same input, URL, format, fields and shard); --resume=auto starts afresh instead");
        }
        if (resumable.isPresent()) {
            Path journalPath = resumable.get();
            Journal.State state = Journal.load(journalPath);
            RunFiles f = state.header().files();
            for (Path part : List.of(f.resultsPart(), f.failedPart())) {
                if (!Files.exists(part)) {
                    throw new ConfigException("--resume: " + part + " is missing; cannot resume " + journalPath);
                }
            }
            return new Plan(job, f, fingerprint, state);
        }
        RunFiles f = RunFiles.plan(job, stamp);
        for (Path p : List.of(f.results(), f.failed(), f.resultsPart(), f.failedPart(), f.journal())) {
            if (Files.exists(p)) {
                throw new ConfigException(p + " already exists (choose another --out or file name, or --resume)");
            }
        }
        Path logDir = f.log().toAbsolutePath().getParent();
        if (logDir != null && (!Files.isDirectory(logDir) || !Files.isWritable(logDir))) {
            throw new ConfigException("--log " + f.log() + ": its directory is missing or not writable");
        }
        return new Plan(job, f, fingerprint, null);
    }

    /** Creates (or for a resume, reopens and cuts back) the run's files. */
    public static StoreStage open(Plan plan, RunStats stats) throws IOException {
        JobConfig job = plan.job();
        ResponseRenderer renderer = new ResponseRenderer(job.format(), job.projection());
        RunFiles f = plan.files();
        Journal.State state = plan.resumed();
        if (state != null) {
            stats.restore(state.ok(), state.rows(), state.failed());
            LOG.info("resuming run {}: {} lines already done; results cut back to {} bytes, failed to {} bytes",
                    f.stamp(), state.done().cardinality(), state.resultsLength(), state.failedLength());
            return new StoreStage(f, OutputFile.resume(f.results(), state.resultsLength()),
                    OutputFile.resume(f.failed(), state.failedLength()), Journal.reopen(state), state.done(),
                    renderer, stats);
        }
        for (Path p : Journal.unfinished(job.outDir(), plan.fingerprint())) {
            LOG.warn("an unfinished run of this job is in {}: {} (use --resume to continue it)",
                    job.outDir(), p.getFileName());
        }
        OutputFile results = OutputFile.create(f.results());
        OutputFile failed = OutputFile.create(f.failed());
        Journal journal = Journal.create(f.journal(), new Journal.Header(plan.fingerprint(), f));
        StoreStage stage = new StoreStage(f, results, failed, journal, new BitSet(), renderer, stats);
        String header = renderer.header();
        if (header != null) {
            byte[] h = header.getBytes(StandardCharsets.UTF_8);
            stage.results.write(h, 0, h.length);
        }
        byte[] fh = FAILED_HEADER.getBytes(StandardCharsets.UTF_8);
        stage.failed.write(fh, 0, fh.length);
        stage.checkpoint();
        return stage;
    }

    /** Checks that the output directory exists and is writable. */
    public static void checkOutDir(JobConfig job) throws ConfigException {
        Path dir = job.outDir();
        if (!Files.isDirectory(dir)) {
            throw new ConfigException("--out " + dir + ": no such directory");
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("--out " + dir + ": not writable");
        }
    }

    /**
     * The job's identity: the settings that must be the same for a run to be resumed or to count
     * as the same job for the lock, hashed (the URL may hold secrets).
     */
    public static String fingerprint(JobConfig job) {
        String key = String.join("\n",
                job.input() == null ? "-" : job.input().toAbsolutePath().normalize().toString(),
                job.inputFormat().name(), String.valueOf(job.inputHeader()), job.idColumn(),
                job.shard().toString(), String.valueOf(job.onlyRetryable()),
                job.url().expand("{id}").toString(), job.format().name(),
                String.valueOf(job.projection().records()), job.projection().fields().toString(),
                job.outDir().toAbsolutePath().normalize().toString(),
                String.valueOf(job.resultsFile()), String.valueOf(job.failedFile()));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This run's files. */
    public RunFiles files() {
        return files;
    }

    /** Input lines completed by the run being resumed (empty for a new run). Read-only. */
    public BitSet doneBefore() {
        return doneBefore;
    }

    /**
     * Records one outcome; abandoned work is counted but not journaled, so a resume redoes it.
     *
     * @throws IOException when an output file cannot be written (disk full); the stage is then
     *                     broken: it accepts nothing more, and {@link #suspend} keeps the last checkpoint
     */
    public void accept(Outcome o) throws IOException {
        if (broken) {
            throw new IOException("an earlier write failed");
        }
        try {
            store(o);
        } catch (IOException e) {
            broken = true;
            throw e;
        }
    }

    private void store(Outcome o) throws IOException {
        switch (o.result()) {
            case FetchResult.Response r -> {
                stats.exchange(r.status(), r.attempts(), r.body().length, r.latencyNanos());
                sink.reset();
                switch (renderer.render(o.id(), r.status(), r.body(), r.contentType(), sink)) {
                    case ResponseRenderer.Rows rows -> {
                        results.write(sink.array(), 0, sink.length());
                        stats.ok(rows.count());
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("id {} (line {}): HTTP {}, {} row(s), {} attempt(s)", o.id(), o.line(),
                                    r.status(), rows.count(), r.attempts());
                        }
                    }
                    case ResponseRenderer.Rejected bad ->
                            writeFailed(o, bad.reason(), r.status(), r.attempts(), false, bad.message());
                }
            }
            case FetchResult.Failure f -> {
                stats.exchange(f.status(), f.attempts(), 0, f.latencyNanos());
                writeFailed(o, f.reason(), f.status(), f.attempts(), f.retryable(), f.message());
            }
            case FetchResult.Abandoned a -> {
                stats.abandonedOne();
                LOG.debug("id {} (line {}): not finished ({}); left for a resume", o.id(), o.line(), a.why());
                return;
            }
        }
        if (doneCount == doneSince.length) {
            doneSince = java.util.Arrays.copyOf(doneSince, doneCount * 2);
        }
        doneSince[doneCount++] = o.line();
    }

    private void writeFailed(Outcome o, FailureReason reason, int status, int attempts, boolean retryable,
                             String message) throws IOException {
        byte[] row = Csv.row(o.id(), reason.label(), status > 0 ? String.valueOf(status) : "",
                String.valueOf(attempts), String.valueOf(retryable), message).getBytes(StandardCharsets.UTF_8);
        failed.write(row, 0, row.length);
        stats.failed(reason);
        LOG.error("id {} (line {}) failed: {} after {} attempt(s): {}", o.id(), o.line(), reason.label(), attempts, message);
    }

    /** Checkpoints when a second has passed or many lines are pending. */
    public void checkpointIfDue() throws IOException {
        if (doneCount >= CHECKPOINT_LINES || System.nanoTime() - lastCheckpoint >= CHECKPOINT_NANOS) {
            checkpoint();
        }
    }

    /** Makes everything accepted so far durable against a process kill, then journals it. */
    public void checkpoint() throws IOException {
        if (broken) {
            throw new IOException("an earlier write failed");
        }
        try {
            results.flush();
            failed.flush();
            journal.checkpoint(results.offset(), failed.offset(), doneSince, doneCount, stats.ok(), stats.rows(),
                    stats.failedByReason());
        } catch (IOException e) {
            broken = true;
            throw e;
        }
        checkpointedResults = results.offset();
        checkpointedFailed = failed.offset();
        doneCount = 0;
        lastCheckpoint = System.nanoTime();
    }

    /** The run is complete: final checkpoint, rename the files to their real names, drop the journal. */
    public void complete() throws IOException {
        try {
            checkpoint();
        } catch (IOException e) {
            suspend(); // broken now: cuts back and closes, keeping the journal for a resume
            throw e;
        }
        results.commit();
        failed.commit();
        journal.delete();
        finished = true;
    }

    /**
     * The run stops unfinished: checkpoint what was accepted and keep everything for a resume. After
     * a write failure nothing more is written: the files are cut back to the last checkpoint, which
     * is what the journal says they hold, so the {@code .part} files end on whole lines.
     */
    public void suspend() throws IOException {
        try {
            if (!broken) {
                checkpoint();
            }
        } finally {
            if (broken) {
                results.cutBack(checkpointedResults);
                failed.cutBack(checkpointedFailed);
            }
            close();
        }
    }

    /** Closes without a checkpoint (after a write failure, the journal's last checkpoint stands). */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
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
