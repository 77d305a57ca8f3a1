package dev.harvest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The end-of-run report: counts by outcome, reason and status, speed, latency and where the files
 * are. Printed on stdout for people and written as JSON beside the results for machines.
 *
 * @param outcome    completed, interrupted or aborted, with its cause
 * @param exitCode   the process exit code
 * @param stats      the run's counters
 * @param elapsed    wall time of this process's run
 * @param files      labelled output paths (results, failed, log, summary)
 * @param config     the effective settings, secrets redacted
 * @param inputHeader the header line skipped, or null
 */
public record Summary(String outcome, int exitCode, RunStats stats, Duration elapsed, Map<String, String> files,
                      Map<String, String> config, String inputHeader) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Requests per second over this process's run. */
    public double requestsPerSecond() {
        double s = Math.max(elapsed.toNanos() / 1e9, 1e-9);
        return stats.measuredRequests() / s;
    }

    /** The human-readable report. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "harvest: %s in %.1f s%n", outcome, elapsed.toMillis() / 1000.0));
        sb.append(String.format(Locale.ROOT, "  lines read   %,d%n", stats.linesRead()));
        sb.append(String.format(Locale.ROOT, "  ok           %,d  (%,d rows%s)%n", stats.ok(), stats.rows(),
                stats.okEmpty() > 0 ? String.format(Locale.ROOT, ", %,d with no records", stats.okEmpty()) : ""));
        sb.append(String.format(Locale.ROOT, "  failed       %,d%s%n", stats.failedTotal(), breakdown(stats.failedByReason())));
        sb.append(String.format(Locale.ROOT, "  skipped      %,d%s%n", stats.skippedTotal(), breakdown(stats.skippedByReason())));
        if (stats.abandoned() > 0) {
            sb.append(String.format(Locale.ROOT, "  unfinished   %,d  (left for --resume)%n", stats.abandoned()));
        }
        sb.append(String.format(Locale.ROOT, "  requests/s   %,.0f  latency p50 %.1f ms, p99 %.1f ms, retries %,d%n",
                requestsPerSecond(), stats.latencyMillis(0.50), stats.latencyMillis(0.99), stats.retries()));
        files.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-12s %s%n", k, v)));
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
        if (e instanceof dev.harvest.fetch.FailureReason r) {
            return r.label();
        }
        if (e instanceof dev.harvest.read.SkipReason r) {
            return r.label();
        }
        return e.name();
    }

    /** The machine-readable report. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("outcome", outcome);
        n.put("exit_code", exitCode);
        n.put("duration_seconds", elapsed.toMillis() / 1000.0);
        n.put("lines_read", stats.linesRead());
        n.put("ok", stats.ok());
        n.put("ok_without_records", stats.okEmpty());
        n.put("rows", stats.rows());
        n.put("failed", stats.failedTotal());
        ObjectNode fr = n.putObject("failed_by_reason");
        stats.failedByReason().forEach((r, c) -> fr.put(r.label(), c));
        n.put("skipped", stats.skippedTotal());
        ObjectNode sr = n.putObject("skipped_by_reason");
        stats.skippedByReason().forEach((r, c) -> sr.put(r.label(), c));
        n.put("unfinished", stats.abandoned());
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
        if (inputHeader != null) {
            n.put("input_header", inputHeader);
        }
        ObjectNode f = n.putObject("files");
        files.forEach(f::put);
        ObjectNode c = n.putObject("config");
        config.forEach(c::put);
        try {
            return JSON.writeValueAsString(n) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the JSON report atomically: readers see the old file or the new one, never half. */
    public void writeJson(Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, toJson());
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
