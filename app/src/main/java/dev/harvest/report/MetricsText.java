package dev.harvest.report;

import dev.harvest.fetch.FailureReason;
import dev.harvest.read.SkipReason;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The summary's figures in the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector. Every family has HELP and TYPE lines; every sample carries
 * a {@code job} label; reasons are listed even at zero so a rate() never sees a series appear
 * from nothing; no timestamps (the collector refuses them). Counters end in {@code _total}, the
 * latency histogram has {@code _bucket}/{@code _sum}/{@code _count}, and {@code promtool check
 * metrics} finds nothing to say. The names are documented in the README.
 */
public final class MetricsText {
    /** The family whose value a later run carries forward until it succeeds itself. */
    static final String LAST_SUCCESS = "harvest_last_success_timestamp_seconds";
    /** The latency histogram's {@code le} bounds in seconds (+Inf is added). */
    private static final double[] LATENCY_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final StringBuilder sb = new StringBuilder(8192);
    private final String jobLabel;

    private MetricsText(String job) {
        this.jobLabel = "job=\"" + escape(job) + "\"";
    }

    /**
     * The metrics file's content for this summary.
     *
     * @param job         the {@code job} label's value
     * @param lastSuccess when a run of this job last ended with exit code 0 (Unix seconds), or null if
     *                    none is known; this summary's own end counts when it is a success
     */
    public static String of(Summary s, String job, Double lastSuccess) {
        MetricsText m = new MetricsText(job);
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
        // Boxed on both sides: a null lastSuccess must not be unboxed.
        Double success = !s.running() && s.exitCode() == 0 ? Double.valueOf(p.sampledAt().toEpochMilli() / 1000.0) : lastSuccess;
        if (success != null) {
            m.family(LAST_SUCCESS, "gauge", "When a run of this job last ended with exit code 0, Unix time (kept from earlier runs of the job).");
            m.sample(LAST_SUCCESS, null, success);
        }

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
        LatencyHistogram.Buckets lat = st.latencyBuckets(LATENCY_BOUNDS);
        m.family("harvest_latency_seconds", "summary", "Latency of each ID's last request over this process's run, by quantile.");
        for (double q : new double[] {0.5, 0.9, 0.99, 1.0}) {
            m.sample("harvest_latency_seconds", "quantile=\"" + number(q) + "\"", seconds(st.latencyMillis(q)));
        }
        m.sample("harvest_latency_seconds_sum", null, lat.sumSeconds());
        m.sample("harvest_latency_seconds_count", null, lat.count());
        m.family("harvest_request_duration_seconds", "histogram", "The same latencies in buckets, to aggregate across runs and shards.");
        for (int i = 0; i < LATENCY_BOUNDS.length; i++) {
            m.sample("harvest_request_duration_seconds_bucket", "le=\"" + number(LATENCY_BOUNDS[i]) + "\"", lat.cumulative()[i]);
        }
        m.sample("harvest_request_duration_seconds_bucket", "le=\"+Inf\"", lat.count());
        m.sample("harvest_request_duration_seconds_sum", null, lat.sumSeconds());
        m.sample("harvest_request_duration_seconds_count", null, lat.count());
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
        // Gauges, not a summary: a moving window has no running _sum and _count, and promtool allows
        // a quantile label on a summary only.
        m.family("harvest_recent_latency_p50_seconds", "gauge", "Median latency in the recent window.");
        m.sample("harvest_recent_latency_p50_seconds", null, seconds(w.p50Millis()));
        m.family("harvest_recent_latency_p99_seconds", "gauge", "99th percentile latency in the recent window.");
        m.sample("harvest_recent_latency_p99_seconds", null, seconds(w.p99Millis()));
        return m.sb.toString();
    }

    private void family(String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    // Label values besides the job are fixed labels and status codes: nothing that needs escaping.
    private void sample(String name, String labels, double value) {
        sb.append(name).append('{').append(jobLabel);
        if (labels != null) {
            sb.append(',').append(labels);
        }
        sb.append("} ").append(number(value)).append('\n');
    }

    /** A label value as the text format needs it: backslash, double quote and newline escaped. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /**
     * The last success time a metrics file of this job holds, or null: what a run that does not
     * succeed carries forward, so an alert on its age keeps counting from the last good night.
     */
    public static Double lastSuccess(String metricsText, String job) {
        String prefix = LAST_SUCCESS + "{job=\"" + escape(job) + "\"} ";
        return metricsText.lines().filter(l -> l.startsWith(prefix)).findFirst().map(l -> {
            try {
                double v = Double.parseDouble(l.substring(prefix.length()).strip());
                return Double.isFinite(v) && v > 0 ? v : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
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
