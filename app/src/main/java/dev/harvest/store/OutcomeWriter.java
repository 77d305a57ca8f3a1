package dev.harvest.store;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Outcome;
import dev.harvest.read.IdCheck;
import dev.harvest.report.RunStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What one {@link Outcome} becomes in the run's files, for the {@link StoreStage}: its results rows
 * as the job's {@link ResultShape} renders them, or a failed row; a download renamed to its final
 * name; the run's statistics and the conditional state updated; its line marked done for the
 * journal. Not thread-safe: the store stage's one thread calls it.
 */
final class OutcomeWriter {
    // Logged under the store stage's name, as before the split: log filters and readers key on it.
    private static final Logger LOG = LogManager.getLogger(StoreStage.class);

    private final RunOutput output;
    private final ResultShape shape;
    private final FailedRows failedRows;
    private final ConditionalState conditional;
    private final RunStats stats;
    private final ByteSink sink = new ByteSink();

    /** @param conditional the job's conditional state, or null when conditional requests are off */
    OutcomeWriter(RunOutput output, ResultShape shape, FailedRows failedRows, ConditionalState conditional,
                  RunStats stats) {
        this.output = output;
        this.shape = shape;
        this.failedRows = failedRows;
        this.conditional = conditional;
        this.stats = stats;
    }

    /** Writes one outcome's rows (or failed row), marks its line done; an abandoned one is only counted. */
    void write(Outcome o) throws IOException {
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
}
