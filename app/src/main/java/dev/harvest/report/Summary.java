package dev.harvest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harvest.fetch.FailureReason;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * The run's report: counts by outcome, reason and status, speed, latency, the recent window and
 * where the files are. Printed on stdout for people at the end, and written as JSON beside the
 * results for machines: during the run as a heartbeat ({@code "running": true}, exit code null),
 * and once more at the end. Its JSON Schema is {@code docs/summary.schema.json}; fields are only
 * added, and {@link #SCHEMA_VERSION} goes up when one changes meaning or goes away.
 *
 * @param outcome     completed, interrupted or aborted with its cause; {@code running} during the run
 * @param exitCode    the process exit code, or null while the run is going
 * @param stats       the run's counters
 * @param progress    a progress reading taken for this report (elapsed time, in flight, recent window)
 * @param files       output paths by snake_case label (results, failed, log, summary, downloads)
 * @param config      the effective settings in flag form, secrets redacted
 * @param inputHeader the header line skipped, or null
 * @param maxFailed   {@code --max-failed}: the failed IDs a completed run may have and exit 0
 */
public record Summary(String outcome, Integer exitCode, RunStats stats, ProgressSnapshot progress,
                      Map<String, String> files, EffectiveConfig config, String inputHeader,
                      FailedBound maxFailed) {
    /** The version of the JSON layout; raised only when a field changes meaning or goes away. */
    public static final int SCHEMA_VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Whether the run is still going (a heartbeat). */
    public boolean running() {
        return exitCode == null;
    }

    /** Wall time of this process's run so far. */
    public Duration elapsed() {
        return Duration.ofNanos(progress.elapsedNanos());
    }

    /** Requests per second over this process's run. */
    public double requestsPerSecond() {
        double s = Math.max(progress.elapsedNanos() / 1e9, 1e-9);
        return stats.measuredRequests() / s;
    }

    /** IDs that ended in the results or the failed file: what a {@code --max-failed} percentage is of. */
    public long finished() {
        return stats.snapshot().finished();
    }

    /** Whether the failed IDs so far are within {@code --max-failed}. */
    public boolean withinMaxFailed() {
        return withinMaxFailed(stats.snapshot());
    }

    private boolean withinMaxFailed(RunCounts c) {
        return maxFailed.allows(c.failedTotal(), c.finished());
    }

    /** The human-readable report; its counts are one snapshot. */
    public String toText() {
        RunCounts c = stats.snapshot();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "harvest: %s in %.1f s%n", outcome, elapsed().toMillis() / 1000.0));
        sb.append(String.format(Locale.ROOT, "  lines read   %,d%n", c.linesRead()));
        sb.append(String.format(Locale.ROOT, "  ok           %,d  (%,d rows%s%s)%n", c.ok(), c.rows(),
                c.unchanged() > 0 ? String.format(Locale.ROOT, ", %,d unchanged", c.unchanged()) : "",
                c.okEmpty() > 0 ? String.format(Locale.ROOT, ", %,d with no records", c.okEmpty()) : ""));
        sb.append(String.format(Locale.ROOT, "  failed       %,d%s%n", c.failedTotal(), breakdown(c.failed())));
        sb.append(String.format(Locale.ROOT, "  skipped      %,d%s%n", c.skippedTotal(), breakdown(c.skipped())));
        if (c.failedTotal() > 0 || !maxFailed.equals(FailedBound.NONE)) {
            sb.append(String.format(Locale.ROOT, "  max failed   %s%s: %s%n", maxFailed,
                    maxFailed.count() >= 0 ? "" : String.format(Locale.ROOT, " of %,d finished = %,d", c.finished(),
                            maxFailed.allowed(c.finished())),
                    withinMaxFailed(c) ? "within the bound" : "over the bound"));
        }
        if (c.unfinished() > 0) {
            sb.append(String.format(Locale.ROOT, "  unfinished   %,d  (%s)%n", c.unfinished(),
                    "-".equals(files.get("results")) ? "not fetched; the results went to standard output, so no resume"
                            : "left for --resume"));
        }
        if (progress.autoLimit()) {
            sb.append(String.format(Locale.ROOT, "  concurrency  auto: limit %,d, latency floor %.1f ms%n",
                    progress.concurrencyLimit(), progress.latencyFloorMillis()));
        }
        sb.append(String.format(Locale.ROOT, "  requests/s   %,.0f  latency p50 %.1f ms, p99 %.1f ms, retries %,d%n",
                requestsPerSecond(), stats.latencyMillis(0.50), stats.latencyMillis(0.99), stats.retries()));
        // "failed" alone would read as the count above.
        files.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-12s %s%n", k.equals("failed") ? "failed file" : k, v)));
        return sb.toString();
    }

    private static String breakdown(Map<? extends Enum<?>, Long> counts) {
        if (counts.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("  (");
        counts.forEach((k, v) -> {
            if (sb.length() > 3) {
                sb.append(", ");
            }
            sb.append(label(k)).append(' ').append(String.format(Locale.ROOT, "%,d", v));
        });
        return sb.append(')').toString();
    }

    private static String label(Enum<?> e) {
        if (e instanceof FailureReason r) {
            return r.label();
        }
        if (e instanceof dev.harvest.read.SkipReason r) {
            return r.label();
        }
        return e.name();
    }

    /** The machine-readable report; its counts are one snapshot. */
    public String toJson() {
        RunCounts counts = stats.snapshot();
        ObjectNode n = JSON.createObjectNode();
        n.put("schema_version", SCHEMA_VERSION);
        n.put("running", running());
        n.put("outcome", outcome);
        n.put("exit_code", exitCode);
        n.put("started_at", progress.startedAt().truncatedTo(ChronoUnit.MILLIS).toString());
        n.put("updated_at", progress.sampledAt().truncatedTo(ChronoUnit.MILLIS).toString());
        n.put("duration_seconds", elapsed().toMillis() / 1000.0);
        n.put("lines_read", counts.linesRead());
        n.put("input_bytes_read", progress.bytesRead());
        putOrNull(n, "input_bytes_total", progress.totalBytes());
        n.put("lines_done", progress.done());
        putOrNull(n, "lines_total_estimate", progress.estimatedTotal());
        putOrNull(n, "eta_seconds", running() ? progress.etaSeconds() : -1);
        n.put("ok", counts.ok());
        n.put("ok_without_records", counts.okEmpty());
        n.put("unchanged", counts.unchanged());
        n.put("rows", counts.rows());
        n.put("failed", counts.failedTotal());
        ObjectNode fr = n.putObject("failed_by_reason");
        counts.failed().forEach((r, c) -> fr.put(r.label(), c));
        ObjectNode mf = n.putObject("max_failed");
        mf.put("bound", maxFailed.toString());
        mf.put("allowed", maxFailed.allowed(counts.finished()));
        mf.put("within", withinMaxFailed(counts));
        n.put("skipped", counts.skippedTotal());
        ObjectNode sr = n.putObject("skipped_by_reason");
        counts.skipped().forEach((r, c) -> sr.put(r.label(), c));
        n.put("unfinished", counts.unfinished());
        n.put("done_before", counts.doneBefore());
        n.put("in_flight", progress.inFlight());
        n.put("retrying", progress.retrying());
        ObjectNode cl = n.putObject("concurrency");
        cl.put("limit", progress.concurrencyLimit());
        if (progress.autoLimit()) {
            cl.put("latency_floor_ms", Math.round(progress.latencyFloorMillis() * 10) / 10.0);
        } else {
            cl.putNull("latency_floor_ms");
        }
        ObjectNode st = n.putObject("http_status");
        stats.statuses().forEach((s, c) -> st.put(String.valueOf(s), c));
        n.put("retries", stats.retries());
        n.put("body_bytes", stats.bodyBytes());
        n.put("requests_per_second", Math.round(requestsPerSecond() * 10) / 10.0);
        ObjectNode lat = n.putObject("latency_ms");
        lat.put("p50", stats.latencyMillis(0.50));
        lat.put("p90", stats.latencyMillis(0.90));
        lat.put("p99", stats.latencyMillis(0.99));
        lat.put("max", stats.latencyMillis(1.0));
        RecentWindow w = progress.recent();
        ObjectNode rec = n.putObject("recent");
        rec.put("window_seconds", Math.round(w.seconds() * 10) / 10.0);
        rec.put("outcomes", w.outcomes());
        rec.put("requests_per_second", Math.round(w.requestsPerSecond() * 10) / 10.0);
        rec.put("error_rate", w.errorRate());
        ObjectNode rr = rec.putObject("error_rate_by_reason");
        w.failuresByReason().keySet().forEach(r -> rr.put(r.label(), w.errorRate(r)));
        ObjectNode rl = rec.putObject("latency_ms");
        rl.put("p50", w.p50Millis());
        rl.put("p99", w.p99Millis());
        if (inputHeader != null) {
            n.put("input_header", inputHeader);
        }
        ObjectNode f = n.putObject("files");
        files.forEach(f::put);
        n.set("config", config.toJson());
        try {
            return JSON.writeValueAsString(n) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putOrNull(ObjectNode n, String key, long value) {
        if (value < 0) {
            n.putNull(key);
        } else {
            n.put(key, value);
        }
    }

    /** Writes the JSON report atomically: readers see the old file or the new one, never half. */
    public void writeJson(Path target) throws IOException {
        AtomicFile.write(target, toJson());
    }
}
