package dev.harvest.report;

import dev.harvest.fetch.FailureReason;
import dev.harvest.read.SkipReason;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The summary's figures in the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector. Every family has HELP and TYPE lines; reasons are listed
 * even at zero so a rate() never sees a series appear from nothing; no timestamps (the collector
 * refuses them). The names are documented in the README.
 */
public final class MetricsText {
    private final StringBuilder sb = new StringBuilder(4096);

    private MetricsText() {
    }

    /** The metrics file's content for this summary. */
    public static String of(Summary s) {
        MetricsText m = new MetricsText();
        RunStats st = s.stats();
        RunCounts c = st.snapshot();
        ProgressSnapshot p = s.progress();
        RecentWindow w = p.recent();
        m.family("harvest_running", "gauge", "1 while the run is going, 0 once it has ended.");
        m.sample("harvest_running", null, s.running() ? 1 : 0);
        if (!s.running()) {
            m.family("harvest_exit_code", "gauge", "The run's exit code (absent while it is going).");
            m.sample("harvest_exit_code", null, s.exitCode());
        }
        m.family("harvest_start_time_seconds", "gauge", "When the run started, Unix time.");
        m.sample("harvest_start_time_seconds", null, p.startedAt().toEpochMilli() / 1000.0);
        m.family("harvest_last_update_time_seconds", "gauge", "When this file was written, Unix time (a stale value means the run hangs or died).");
        m.sample("harvest_last_update_time_seconds", null, p.sampledAt().toEpochMilli() / 1000.0);
        m.family("harvest_duration_seconds", "gauge", "Wall time of the run so far.");
        m.sample("harvest_duration_seconds", null, p.elapsedNanos() / 1e9);

        m.family("harvest_input_lines_read_total", "counter", "Input lines read.");
        m.sample("harvest_input_lines_read_total", null, c.linesRead());
        m.family("harvest_input_bytes_read", "gauge", "The input's byte offset.");
        m.sample("harvest_input_bytes_read", null, p.bytesRead());
        if (p.totalBytes() >= 0) {
            m.family("harvest_input_bytes", "gauge", "The input's size (absent for standard input).");
            m.sample("harvest_input_bytes", null, p.totalBytes());
        }

        m.family("harvest_ids_total", "counter", "Input lines by where they ended: ok (results), failed (failed file), skipped.");
        m.sample("harvest_ids_total", "outcome=\"ok\"", c.ok());
        m.sample("harvest_ids_total", "outcome=\"failed\"", c.failedTotal());
        m.sample("harvest_ids_total", "outcome=\"skipped\"", c.skippedTotal());
        m.family("harvest_ok_without_records_total", "counter", "Successful IDs that left no row in the results (an empty --records array, an empty or unchanged feed).");
        m.sample("harvest_ok_without_records_total", null, c.okEmpty());
        m.family("harvest_unchanged_total", "counter", "Successful IDs answered 304 Not Modified to a conditional request (included in ok).");
        m.sample("harvest_unchanged_total", null, c.unchanged());
        m.family("harvest_rows_total", "counter", "Rows written to the results.");
        m.sample("harvest_rows_total", null, c.rows());
        m.family("harvest_failed_total", "counter", "Failed IDs by reason.");
        Map<FailureReason, Long> failed = c.failed();
        for (FailureReason r : FailureReason.values()) {
            m.sample("harvest_failed_total", "reason=\"" + r.label() + "\"", failed.getOrDefault(r, 0L));
        }
        m.family("harvest_skipped_total", "counter", "Skipped input lines by reason.");
        Map<SkipReason, Long> skipped = c.skipped();
        for (SkipReason r : SkipReason.values()) {
            m.sample("harvest_skipped_total", "reason=\"" + r.label() + "\"", skipped.getOrDefault(r, 0L));
        }
        m.family("harvest_unfinished", "gauge", "IDs whose work stopped without an outcome (left for --resume).");
        m.sample("harvest_unfinished", null, c.unfinished());
        m.family("harvest_http_responses_total", "counter", "Final HTTP responses by status code.");
        st.statuses().forEach((code, n) -> m.sample("harvest_http_responses_total", "code=\"" + code + "\"", n));
        m.family("harvest_retries_total", "counter", "Retries sent.");
        m.sample("harvest_retries_total", null, st.retries());
        m.family("harvest_body_bytes_total", "counter", "Response body bytes received.");
        m.sample("harvest_body_bytes_total", null, st.bodyBytes());
        m.family("harvest_requests_per_second", "gauge", "Requests per second over the whole run.");
        m.sample("harvest_requests_per_second", null, s.requestsPerSecond());
        m.family("harvest_latency_seconds", "summary", "Latency of each ID's last request over the whole run, by quantile.");
        for (double q : new double[] {0.5, 0.9, 0.99, 1.0}) {
            m.sample("harvest_latency_seconds", "quantile=\"" + number(q) + "\"", seconds(st.latencyMillis(q)));
        }
        m.family("harvest_in_flight", "gauge", "Requests in flight.");
        m.sample("harvest_in_flight", null, p.inFlight());
        m.family("harvest_retrying", "gauge", "Retry attempts under way.");
        m.sample("harvest_retrying", null, p.retrying());

        m.family("harvest_recent_window_seconds", "gauge", "Length of the recent window (the last minute, or the last 8192 outcomes if shorter).");
        m.sample("harvest_recent_window_seconds", null, w.seconds());
        m.family("harvest_recent_requests_per_second", "gauge", "IDs finished per second in the recent window.");
        m.sample("harvest_recent_requests_per_second", null, w.requestsPerSecond());
        m.family("harvest_recent_error_ratio", "gauge", "Share of the recent window's IDs that failed, by reason.");
        for (FailureReason r : FailureReason.values()) {
            m.sample("harvest_recent_error_ratio", "reason=\"" + r.label() + "\"", w.errorRate(r));
        }
        m.family("harvest_recent_latency_seconds", "summary", "Latency in the recent window, by quantile.");
        m.sample("harvest_recent_latency_seconds", "quantile=\"0.5\"", seconds(w.p50Millis()));
        m.sample("harvest_recent_latency_seconds", "quantile=\"0.99\"", seconds(w.p99Millis()));
        return m.sb.toString();
    }

    private void family(String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    // Label values here are fixed labels and status codes: nothing that needs escaping.
    private void sample(String name, String labels, double value) {
        sb.append(name);
        if (labels != null) {
            sb.append('{').append(labels).append('}');
        }
        sb.append(' ').append(number(value)).append('\n');
    }

    // Milliseconds to seconds without binary noise (73.728 ms is 0.073728 s, not 0.07372799999999999).
    private static double seconds(double millis) {
        return Double.isFinite(millis) ? BigDecimal.valueOf(millis).movePointLeft(3).doubleValue() : millis;
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        // Plain digits, full precision: a Unix time must not be rounded to 1.79537e+09.
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
