package dev.harvest.config;

import dev.harvest.fetch.RequestHeader;
import dev.harvest.fetch.RequestSettings;
import dev.harvest.pipeline.FlowSettings;
import dev.harvest.read.InputSettings;
import dev.harvest.report.EffectiveConfig;
import dev.harvest.report.ReportSettings;
import dev.harvest.store.OutputSettings;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A job's effective settings as the log and the summary show them: secrets redacted, in help
 * order, each value in the form its flag accepts and typed (see {@link EffectiveConfig}).
 */
final class JobDescription {
    private JobDescription() {
    }

    static EffectiveConfig of(JobConfig job) {
        InputSettings in = job.input();
        RequestSettings req = job.request();
        FlowSettings flow = job.flow();
        OutputSettings out = job.output();
        ReportSettings report = job.report();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", in.path() == null ? "-" : in.path().toString());
        m.put("input_format", in.format().name().toLowerCase(Locale.ROOT));
        m.put("input_header", in.header());
        m.put("id_column", in.idColumn().chars().allMatch(Character::isDigit)
                ? (Object) Integer.parseInt(in.idColumn()) : in.idColumn());
        m.put("max_id_length", in.maxIdLength());
        m.put("shard", in.shard().toString());
        m.put("only_retryable", in.onlyRetryable());
        m.put("trim", in.trim());
        m.put("url", req.url() == null ? null : req.url().toString());
        m.put("url_column", req.mode().urlColumn());
        m.put("mode", req.mode().kind().name().toLowerCase(Locale.ROOT));
        m.put("save_to", req.mode().saveTo() == null ? null : req.mode().saveTo().toString());
        m.put("file_name", req.mode().fileName() == null ? null : req.mode().fileName().toString());
        m.put("conditional", req.mode().conditional());
        m.put("header", req.headers().stream().map(RequestHeader::toString).toList());
        m.put("user_agent", req.headers().stream().filter(h -> h.key().equals("user-agent")).findFirst()
                .map(RequestHeader::value).orElse(req.userAgent()));
        m.put("proxy", req.proxy().toString());
        m.put("compressed", req.compressed());
        m.put("token", req.token() == null ? null : req.token().toString());
        m.put("ca_file", req.caFile() == null ? null : req.caFile().toString());
        m.put("http_version", req.httpVersion() == HttpClient.Version.HTTP_2 ? "2" : "1.1");
        m.put("concurrency", flow.autoConcurrency() ? "auto:" + flow.concurrency() : (Object) flow.concurrency());
        m.put("rate", flow.rate() == Math.rint(flow.rate()) ? (Object) (long) flow.rate() : (Object) flow.rate());
        m.put("connect_timeout", EffectiveConfig.duration(req.connectTimeout()));
        m.put("timeout", EffectiveConfig.duration(req.timeout()));
        m.put("max_body", EffectiveConfig.size(req.maxBody()));
        m.put("follow_redirects", req.redirects().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("retries", flow.retry().retries());
        m.put("backoff", EffectiveConfig.duration(flow.retry().backoff()));
        m.put("max_retry_wait", EffectiveConfig.duration(flow.retry().maxRetryWait()));
        m.put("retry_budget", flow.retryBudget());
        m.put("circuit_failures", flow.circuitFailures());
        m.put("circuit_window", flow.circuitWindow());
        m.put("circuit_ratio", flow.circuitRatio());
        m.put("drain_timeout", EffectiveConfig.duration(flow.drainTimeout()));
        m.put("max_failed", report.maxFailed().count() >= 0 ? (Object) report.maxFailed().count() : report.maxFailed().toString());
        m.put("out", out.outDir().toString());
        m.put("format", out.format().extension());
        m.put("records", out.projection().records() == null ? null : out.projection().records().toString());
        m.put("fields", out.projection().fields().isEmpty() ? null : String.join(",", out.projection().fields().stream()
                .map(f -> f.name() + "=" + (f.isInputId() ? "{id}" : f.pointer().toString())).toList()));
        m.put("resume", switch (out.resume()) {
            case NO -> false;
            case YES -> true;
            case AUTO -> "auto";
        });
        m.put("log_level", report.logLevel());
        m.put("progress_interval", EffectiveConfig.duration(report.progressInterval()));
        m.put("metrics_file", report.metricsFile() == null ? null : report.metricsFile().toString());
        return new EffectiveConfig(m);
    }
}
