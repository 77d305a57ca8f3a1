package dev.harvest.config;

import dev.harvest.fetch.RequestHeader;
import dev.harvest.fetch.RequestSettings;
import dev.harvest.pipeline.FlowSettings;
import dev.harvest.read.InputSettings;
import dev.harvest.report.ReportSettings;
import dev.harvest.store.OutputSettings;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A job's effective settings as the log and the summary show them: secrets redacted, in help order. */
final class JobDescription {
    private JobDescription() {
    }

    static Map<String, String> of(JobConfig job) {
        InputSettings in = job.input();
        RequestSettings req = job.request();
        FlowSettings flow = job.flow();
        OutputSettings out = job.output();
        ReportSettings report = job.report();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input", in.path() == null ? "-" : in.path().toString());
        m.put("input-format", in.format().name().toLowerCase(Locale.ROOT));
        m.put("input-header", String.valueOf(in.header()));
        m.put("id-column", in.idColumn());
        m.put("shard", in.shard().toString());
        m.put("only-retryable", String.valueOf(in.onlyRetryable()));
        m.put("trim", String.valueOf(in.trim()));
        m.put("url", req.url() == null ? "" : req.url().toString());
        m.put("url-column", req.mode().urlColumn() == null ? "" : req.mode().urlColumn());
        m.put("mode", req.mode().kind().name().toLowerCase(Locale.ROOT));
        m.put("save-to", req.mode().saveTo() == null ? "" : req.mode().saveTo().toString());
        m.put("file-name", req.mode().fileName() == null ? "" : req.mode().fileName().toString());
        m.put("conditional", String.valueOf(req.mode().conditional()));
        m.put("headers", req.headers().toString());
        m.put("user-agent", req.headers().stream().filter(h -> h.key().equals("user-agent")).findFirst()
                .map(RequestHeader::value).orElse(req.userAgent()));
        m.put("proxy", req.proxy().toString());
        m.put("compressed", String.valueOf(req.compressed()));
        m.put("token", req.token() == null ? "none" : req.token().toString());
        if (req.caFile() != null) {
            m.put("ca-file", req.caFile().toString());
        }
        m.put("http-version", req.httpVersion() == HttpClient.Version.HTTP_2 ? "2" : "1.1");
        m.put("concurrency", (flow.autoConcurrency() ? "auto:" : "") + flow.concurrency());
        m.put("rate", flow.rate() == 0 ? "unlimited" : String.valueOf(flow.rate()));
        m.put("connect-timeout", req.connectTimeout().toString());
        m.put("timeout", req.timeout().toString());
        m.put("max-body", String.valueOf(req.maxBody()));
        m.put("follow-redirects", req.redirects().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("retries", String.valueOf(flow.retry().retries()));
        m.put("backoff", flow.retry().backoff().toString());
        m.put("max-retry-wait", flow.retry().maxRetryWait().toString());
        m.put("retry-budget", String.valueOf(flow.retryBudget()));
        m.put("circuit-failures", String.valueOf(flow.circuitFailures()));
        m.put("circuit-window", String.valueOf(flow.circuitWindow()));
        m.put("circuit-ratio", String.valueOf(flow.circuitRatio()));
        m.put("drain-timeout", flow.drainTimeout().toString());
        m.put("max-failed", report.maxFailed().toString());
        m.put("out", out.outDir().toString());
        m.put("format", out.format().extension());
        m.put("records", out.projection().records() == null ? "" : out.projection().records().toString());
        m.put("fields", out.projection().fields().stream()
                .map(f -> f.name() + "=" + (f.isInputId() ? "{id}" : f.pointer().toString())).toList().toString());
        m.put("resume", out.resume().name().toLowerCase(Locale.ROOT));
        m.put("log-level", report.logLevel());
        m.put("progress-interval", report.progressInterval().toString());
        m.put("metrics-file", report.metricsFile() == null ? "" : report.metricsFile().toString());
        return m;
    }
}
