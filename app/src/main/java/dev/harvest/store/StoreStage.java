package dev.harvest.store;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.JobMode;
import dev.harvest.fetch.LastFetch;
import dev.harvest.fetch.RequestSettings;
import dev.harvest.fetch.Secrets;
import dev.harvest.fetch.UrlHash;
import dev.harvest.fetch.Validators;
import dev.harvest.read.IdCheck;
import dev.harvest.read.InputSettings;
import dev.harvest.report.RunStats;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The single parse/store stage: turns each {@link Outcome} into a results row or a failed row,
 * and checkpoints the journal so a killed run resumes exactly once. What a 2xx becomes depends on
 * the job's shape: JSON rows ({@link ResponseRenderer}), feed items ({@link FeedRenderer}), or a
 * downloaded file, renamed here from its temporary name so the rename is ordered with the journal
 * ({@link DownloadRows}). Not thread-safe by design: the pipeline calls it from one thread only.
 */
public final class StoreStage implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(StoreStage.class);
    private static final String FAILED_HEADER = Csv.row("id", "reason", "http_status", "attempts", "retryable", "message");
    /** With --url-column the failed file also carries each row's URL, so it can be fed straight back in. */
    private static final String FAILED_HEADER_WITH_URL = Csv.row("id", "reason", "http_status", "attempts", "retryable",
            "message", "url");
    private static final long CHECKPOINT_NANOS = 1_000_000_000L;
    private static final int CHECKPOINT_LINES = 65_536;

    private final RunFiles files;
    private final OutputFile results;
    private final OutputFile failed;
    private final Journal journal;
    private final BitSet doneBefore;
    private final ResponseRenderer renderer;
    private final JobMode mode;
    private final FeedRenderer feeds;
    private final DownloadRows downloads;
    private final ConditionalState conditional;
    private final Path downloadTemp;
    private final RunStats stats;
    private final Secrets secrets;
    private final ByteSink sink = new ByteSink();
    private long[] doneSince = new long[1024];
    private int doneCount;
    private long lastCheckpoint = System.nanoTime();
    private long checkpointedResults;
    private long checkpointedFailed;
    private RunStats.Outcomes checkpointedCounts;
    private boolean broken;
    private boolean finished;

    private StoreStage(OutputSettings output, Secrets secrets, RunFiles files, OutputFile results, OutputFile failed, Journal journal,
                       BitSet doneBefore, ConditionalState conditional, Path downloadTemp, RunStats stats) {
        this.files = files;
        this.results = results;
        this.failed = failed;
        this.journal = journal;
        this.doneBefore = doneBefore;
        this.mode = output.mode();
        this.renderer = new ResponseRenderer(output.format(), output.projection());
        this.feeds = new FeedRenderer(output.format());
        this.downloads = new DownloadRows(output.format());
        this.conditional = conditional;
        this.downloadTemp = downloadTemp;
        this.stats = stats;
        this.secrets = secrets;
        this.checkpointedResults = results.offset();
        this.checkpointedFailed = failed.offset();
        this.checkpointedCounts = stats.outcomes();
    }

    /**
     * What {@link #prepare} found: the run's files and, for a resume, the journal's state. Nothing
     * has been created or logged yet.
     *
     * @param output     the job's output settings
     * @param secrets    what must never be written (failed rows' messages are scrubbed of it)
     * @param validators the conditional-request state file, or null when the job is not conditional
     * @param files      the run's files
     * @param identity   the job's keys
     * @param input      the input's identity, recorded in a new run's journal
     * @param resumed    the interrupted run's state, or null for a new run
     */
    public record Plan(OutputSettings output, Secrets secrets, Path validators, RunFiles files, JobIdentity identity,
                       InputIdentity input, Journal.State resumed) {
    }

    /**
     * Checks the output directory and decides the run's files: a new run's stamped names, or with
     * {@code --resume} the newest unfinished run of the same job, if its input is still the same.
     * Creates nothing, except that a run found killed during its final renames (completed, input
     * changed since) gets its renames finished.
     *
     * @param in      what the run reads (its identity decides whether a resume may continue)
     * @param request the URL and shape, part of the job's identity; its secrets are never written
     * @param output  where and what the run writes
     * @param notices gets what the operator should be told (why an unfinished run is not resumed),
     *                also when this then throws
     * @throws OutputException when the directory is missing or unwritable, a file exists, there is
     *                         nothing to resume, or the input is not the one the run read
     */
    public static Plan prepare(InputSettings in, RequestSettings request, OutputSettings output, String stamp,
                               List<String> notices) throws OutputException, IOException {
        Path dir = output.outDir();
        checkOutDir(output);
        JobIdentity identity = JobIdentity.of(in, request, output);
        Path validators = output.mode().conditional() ? ConditionalState.file(output, in.shard(), request.url()) : null;
        InputIdentity input;
        try {
            input = in.path() == null ? InputIdentity.STREAM : InputIdentity.of(in.path());
        } catch (IOException e) {
            throw new OutputException("--input " + in.path() + ": cannot read it (" + e.getMessage() + ")");
        }
        String shardSuffix = in.shard().count() > 1 ? in.shard().fileSuffix() : "";
        Optional<Path> resumable = output.resume() == ResumeMode.NO ? Optional.empty()
                : Journal.findResumable(dir, identity.resume(), shardSuffix);
        if (resumable.isPresent()) {
            Path journalPath = resumable.get();
            Journal.State state = Journal.load(journalPath);
            RunFiles f = state.header().files();
            String mismatch = input.mismatch(state.header().input(), String.valueOf(in.path()));
            if (mismatch == null) {
                if (state.completing()) {
                    // Killed during its final renames: put back what was renamed and let the resume
                    // (every line done) complete it again, summary and all.
                    undoRenames(state);
                }
                for (Path part : List.of(f.resultsPart(), f.failedPart())) {
                    if (!Files.exists(part)) {
                        throw new OutputException("--resume: " + part + " is missing; cannot resume " + journalPath);
                    }
                }
                return new Plan(output, request.secrets(), validators, f, identity, input, state);
            }
            if (state.completing()) {
                finishRenames(state);
                notices.add("run " + f.stamp() + " had completed but was stopped while renaming its files;"
                        + " its files now have their final names (" + f.results().getFileName() + ")");
                if (output.resume() == ResumeMode.YES) {
                    throw new OutputException("--resume: no unfinished run of this job in " + dir
                            + " (run " + f.stamp() + " had completed); --resume=auto starts afresh instead");
                }
            } else if (output.resume() == ResumeMode.YES) {
                throw new OutputException("--resume: " + mismatch + "; cannot continue run " + f.stamp()
                        + " (--resume=auto starts afresh instead)");
            } else {
                notices.add("--resume=auto: not continuing run " + f.stamp() + ": " + mismatch + "; starting afresh");
            }
        } else if (output.resume() == ResumeMode.YES) {
            throw new OutputException("--resume: no unfinished run of this job in " + dir
                    + " (same input, URL, format, fields and shard); --resume=auto starts afresh instead");
        }
        RunFiles f = RunFiles.plan(output, in.shard(), stamp);
        // A run that starts in the same second as an earlier one in this directory (a quick re-run
        // of the failed file, a script's loop) takes the next free stamp, 20261122-031500_2, instead
        // of failing. '_' sorts after '.', so the newer run's journal still sorts first. Names that do
        // not carry the stamp (--results, --failed) are never overwritten.
        for (int n = 2; n < 100 && taken(f) != null; n++) {
            f = RunFiles.plan(output, in.shard(), stamp + "_" + n);
        }
        Path taken = taken(f);
        if (taken != null) {
            throw new OutputException(taken + " already exists (choose another --out or file name, or --resume)");
        }
        for (var named : List.of(Map.entry("--log", f.log()), Map.entry("--results", f.results()),
                Map.entry("--failed", f.failed()))) {
            if (named.getValue().equals(RunFiles.STDOUT)) {
                continue;
            }
            Path parent = named.getValue().toAbsolutePath().getParent();
            if (parent != null && (!Files.isDirectory(parent) || !Files.isWritable(parent))) {
                throw new OutputException(named.getKey() + " " + named.getValue() + ": its directory is missing or not writable");
            }
        }
        return new Plan(output, request.secrets(), validators, f, identity, input, null);
    }

    /**
     * A completed run was killed between its renames: renames a final file back to its
     * {@code .part} name when it is exactly what the journal says, so the resume finds the run as it
     * was just before completing.
     */
    private static void undoRenames(Journal.State state) throws IOException {
        RunFiles f = state.header().files();
        undoRename(f.results(), f.resultsPart(), state.resultsLength());
        undoRename(f.failed(), f.failedPart(), state.failedLength());
    }

    private static void undoRename(Path target, Path part, long length) throws IOException {
        if (!Files.exists(part) && Files.exists(target) && Files.size(target) == length) {
            Files.move(target, part, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * A completed run was killed between its renames and cannot be resumed (its input changed):
     * does the rest of them. Its {@code .part} files end at its final checkpoint, so they are whole.
     */
    private static void finishRenames(Journal.State state) throws IOException {
        RunFiles f = state.header().files();
        for (Path part : List.of(f.resultsPart(), f.failedPart())) {
            if (Files.exists(part)) {
                Path target = part == f.resultsPart() ? f.results() : f.failed();
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.deleteIfExists(f.journal());
    }

    /** The first of a new run's files that exists already, or null. */
    private static Path taken(RunFiles f) {
        for (Path p : List.of(f.results(), f.failed(), f.resultsPart(), f.failedPart(), f.journal(), f.summary())) {
            if (!p.equals(RunFiles.STDOUT) && Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Creates (or for a resume, reopens and cuts back) the run's files; reads the job's conditional
     * state; in download mode prepares the temporary directory, removing what a killed run left.
     * If a new run's files cannot all be created, those that were are removed again.
     */
    public static StoreStage open(Plan plan, RunStats stats) throws IOException {
        return open(plan, stats, null);
    }

    /**
     * As {@link #open(Plan, RunStats)}, with the stream {@code --results -} writes to.
     *
     * @param stdout standard output, used when the results go there
     */
    public static StoreStage open(Plan plan, RunStats stats, java.io.OutputStream stdout) throws IOException {
        OutputSettings output = plan.output();
        RunFiles f = plan.files();
        Journal.State state = plan.resumed();
        ConditionalState conditional = plan.validators() != null ? ConditionalState.load(plan.validators()) : null;
        Path temp = output.mode().kind() == JobMode.Kind.DOWNLOAD
                ? DownloadTemp.prepare(output.mode().saveTo(), plan.identity().resume()) : null;
        if (state != null) {
            stats.restore(state.counts(), 0);
            LOG.info("resuming run {}: {} lines already done; results cut back to {} bytes, failed to {} bytes",
                    f.stamp(), state.done().cardinality(), state.resultsLength(), state.failedLength());
            return new StoreStage(output, plan.secrets(), f, OutputFile.resume(f.results(), state.resultsLength()),
                    OutputFile.resume(f.failed(), state.failedLength()), Journal.reopen(state), state.done(),
                    conditional, temp, stats);
        }
        for (Path p : Journal.unfinished(output.outDir(), plan.identity().resume())) {
            LOG.warn("an unfinished run of this job is in {}: {} (use --resume to continue it)",
                    output.outDir(), p.getFileName());
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
            Journal journal = Journal.create(f.journal(), new Journal.Header(plan.identity().resume(), f, plan.input()));
            created.add(f.journal());
            opened.add(journal);
            StoreStage stage = new StoreStage(output, plan.secrets(), f, results, failed, journal, new BitSet(), conditional, temp, stats);
            String header = stage.resultsHeader();
            if (header != null) {
                byte[] h = header.getBytes(StandardCharsets.UTF_8);
                stage.results.write(h, 0, h.length);
            }
            byte[] fh = (output.mode().perRowUrls() ? FAILED_HEADER_WITH_URL : FAILED_HEADER).getBytes(StandardCharsets.UTF_8);
            stage.failed.write(fh, 0, fh.length);
            stage.checkpoint();
            return stage;
        } catch (IOException | RuntimeException e) {
            // Reported as a setup error (exit 2), so nothing of this run may stay behind.
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

    /** Checks that the output directory exists and is writable. */
    public static void checkOutDir(OutputSettings output) throws OutputException {
        Path dir = output.outDir();
        if (!Files.isDirectory(dir)) {
            throw new OutputException("--out " + dir + ": no such directory");
        }
        if (!Files.isWritable(dir)) {
            throw new OutputException("--out " + dir + ": not writable");
        }
    }

    private String resultsHeader() {
        return switch (mode.kind()) {
            case JSON -> renderer.header();
            case FEED -> feeds.header();
            case DOWNLOAD -> downloads.header();
        };
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
        return files;
    }

    /** Input lines completed by the run being resumed (empty for a new run). Read-only. */
    public BitSet doneBefore() {
        return doneBefore;
    }

    /**
     * Records one outcome; abandoned work is counted but not journaled, so a resume redoes it.
     *
     * A body that cannot be rendered is that ID's failure, not the run's. Anything else thrown here
     * leaves the stage broken, like a write error.
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
        } catch (IOException | RuntimeException | Error e) {
            broken = true;
            throw e;
        }
    }

    private void store(Outcome o) throws IOException {
        switch (o.result()) {
            case FetchResult.Response r -> {
                stats.exchange(r.status(), r.attempts(), r.body().length, r.latencyNanos());
                sink.reset();
                ResponseRenderer.Rendered rendered;
                try {
                    rendered = mode.kind() == JobMode.Kind.FEED
                            ? feeds.render(o.id(), r.status(), r.body(), r.contentType(), o.target(), sink)
                            : renderer.render(o.id(), r.status(), r.body(), r.contentType(), sink);
                } catch (RuntimeException e) {
                    rendered = unrenderable(o, e);
                }
                switch (rendered) {
                    case ResponseRenderer.Rows rows -> {
                        results.write(sink.array(), 0, sink.length());
                        stats.ok(rows.count());
                        remember(o, r.validators(), null, 0, null, null);
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("id {} (line {}): HTTP {}, {} row(s), {} attempt(s)", o.id(), o.line(),
                                    r.status(), rows.count(), r.attempts());
                        }
                    }
                    case ResponseRenderer.Rejected bad ->
                            writeFailed(o, bad.reason(), r.status(), r.attempts(), false, bad.message());
                }
            }
            case FetchResult.Saved f -> {
                stats.exchange(f.status(), f.attempts(), f.bytes(), f.latencyNanos());
                if (f.bytes() == 0) {
                    Files.deleteIfExists(f.temp());
                    writeFailed(o, FailureReason.EMPTY_BODY, f.status(), f.attempts(), false,
                            "HTTP " + f.status() + " with an empty body");
                } else {
                    saveDownload(o, f);
                }
            }
            case FetchResult.Unchanged u -> {
                stats.exchange(304, u.attempts(), 0, u.latencyNanos());
                int rows = 0;
                if (mode.kind() == JobMode.Kind.DOWNLOAD) {
                    LastFetch p = u.previous();
                    sink.reset();
                    downloads.write(o.id(), o.target().shown(), o.target().file().toString(), p.bytes(), p.sha256(),
                            p.contentType(), 304, sink);
                    results.write(sink.array(), 0, sink.length());
                    rows = 1;
                }
                stats.unchanged(rows);
                LOG.debug("id {} (line {}): not modified since the previous run", o.id(), o.line());
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
            doneSince = Arrays.copyOf(doneSince, doneCount * 2);
        }
        doneSince[doneCount++] = o.line();
    }

    /**
     * A body the renderer threw on (a number too large for it, say) goes to the failed file as
     * malformed, not retryable; nothing of it was written, since rows are rendered to a buffer first.
     */
    private ResponseRenderer.Rejected unrenderable(Outcome o, RuntimeException e) {
        LOG.error("id {} (line {}): cannot render the body", o.id(), o.line(), e);
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        return new ResponseRenderer.Rejected(mode.kind() == JobMode.Kind.FEED ? FailureReason.BAD_XML : FailureReason.BAD_JSON,
                "cannot render the body: " + (why.length() > 200 ? why.substring(0, 200) + "..." : why));
    }

    /**
     * Moves a finished download to its final name (atomically replacing last night's file) and
     * writes its row. A kill after the rename but before the next checkpoint leaves the line
     * unjournaled: the resume downloads it again and the rename replaces the file with an
     * identical or newer one, so the results still list it exactly once.
     */
    private void saveDownload(Outcome o, FetchResult.Saved f) throws IOException {
        Path target = o.target().file();
        try {
            Files.move(f.temp(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(f.temp());
            throw new IOException("cannot move the download of " + o.id() + " to " + target + ": " + e.getMessage(), e);
        }
        sink.reset();
        downloads.write(o.id(), o.target().shown(), target.toString(), f.bytes(), f.sha256(), f.contentType(),
                f.status(), sink);
        results.write(sink.array(), 0, sink.length());
        stats.ok(1);
        if (conditional != null) {
            long mtime = Files.getLastModifiedTime(target, LinkOption.NOFOLLOW_LINKS).toMillis();
            remember(o, f.validators(), target, f.bytes(), f.sha256(), f.contentType(), mtime);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("id {} (line {}): HTTP {}, {} bytes saved as {}", o.id(), o.line(), f.status(), f.bytes(), target);
        }
    }

    private void remember(Outcome o, Validators v, Path file, long bytes, String sha256, String contentType) {
        remember(o, v, file, bytes, sha256, contentType, 0);
    }

    /** Keeps this response's validators for the next run (an entry without validators forgets the ID). */
    private void remember(Outcome o, Validators v, Path file, long bytes, String sha256, String contentType,
                          long mtime) {
        if (conditional == null || o.target() == null) {
            return;
        }
        conditional.update(o.id(), new LastFetch(UrlHash.of(o.target().uri()), v,
                file == null ? null : file.toAbsolutePath().normalize().toString(), bytes, sha256, contentType, mtime));
    }

    private void writeFailed(Outcome o, FailureReason reason, int status, int attempts, boolean retryable,
                             String message) throws IOException {
        String[] cells = {o.id(), reason.label(), status > 0 ? String.valueOf(status) : "",
                String.valueOf(attempts), String.valueOf(retryable), secrets.scrub(message)};
        if (mode.perRowUrls()) {
            cells = Arrays.copyOf(cells, cells.length + 1);
            cells[cells.length - 1] = o.rowUrl();
        }
        byte[] row = Csv.row(cells).getBytes(StandardCharsets.UTF_8);
        failed.write(row, 0, row.length);
        stats.failed(reason);
        LOG.error("id {} (line {}) failed: {} after {} attempt(s): {}", IdCheck.shown(o.id()), o.line(), reason.label(),
                attempts, message);
    }

    /**
     * Checkpoints when a second has passed or many lines are pending, and only if something was
     * stored since the last one: a throttled or stalled run must not grow its journal by the second.
     */
    public void checkpointIfDue() throws IOException {
        boolean changed = doneCount > 0 || results.offset() != checkpointedResults || failed.offset() != checkpointedFailed;
        if (changed && (doneCount >= CHECKPOINT_LINES || System.nanoTime() - lastCheckpoint >= CHECKPOINT_NANOS)) {
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
            RunStats.Outcomes counts = stats.outcomes();
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
     * The run is complete: final checkpoint, a synced "completing" line, rename the files to their
     * real names, drop the journal. A kill anywhere in the renames is finished by the next run of
     * the job ({@link #prepare}).
     */
    public void complete() throws IOException {
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
        finished = true;
        if (conditional != null) {
            conditional.save();
        }
        if (downloadTemp != null) {
            DownloadTemp.remove(downloadTemp);
        }
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
                if (conditional != null) {
                    // Safe before completion: an entry is only used while its file is exactly as recorded.
                    conditional.save();
                }
            }
        } finally {
            if (broken) {
                results.cutBack(checkpointedResults);
                failed.cutBack(checkpointedFailed);
                // The counts say what the files hold: the outcomes cut off are left for the resume.
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
