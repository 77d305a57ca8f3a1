package dev.harvest.config;

import dev.harvest.fetch.JobMode;
import dev.harvest.fetch.RequestSettings;
import dev.harvest.fetch.Secrets;
import dev.harvest.pipeline.FlowSettings;
import dev.harvest.read.InputSettings;
import dev.harvest.report.EffectiveConfig;
import dev.harvest.report.ReportSettings;
import dev.harvest.store.OutputSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective settings of one job, checked and typed: one record per stage, each stage gets
 * only its own. Built once at start-up by the per-concern parsers of this package; immutable.
 *
 * @param input   what the read stage reads
 * @param request what the fetch stage sends, and how
 * @param flow    how the pipeline paces the job
 * @param output  what the store stage writes, and where
 * @param report  logging, terminal, metrics and the exit code's failure bound
 */
public record JobConfig(InputSettings input, RequestSettings request, FlowSettings flow, OutputSettings output,
                        ReportSettings report) {

    /** What {@code harvest verify} reads of a job: which lines are IDs, and how the outputs look. */
    private static final Set<String> VERIFY_KEYS = Set.of("input", "input-format", "input-header", "id-column",
            "max-id-length", "shard", "only-retryable", "trim", "format", "records", "fields", "results", "failed", "out",
            "url-column", "save-to", "file-name", "parse");

    /**
     * Builds and checks a job from resolved settings.
     *
     * @param settings the layered settings ({@link SettingsLoader#load})
     * @param env      the environment (token variables, Kubernetes shard index)
     */
    public static JobConfig from(Map<String, List<Setting>> settings, Map<String, String> env)
            throws ConfigException {
        return build(settings, env, true);
    }

    /**
     * The job as {@code harvest verify} sees it: only the settings that decide which input lines
     * are IDs and how the outputs look count; request settings fall back to their defaults, so the
     * run's own command line or config file can be reused as it is, and the URL is null.
     */
    public static JobConfig forVerify(Map<String, List<Setting>> settings, Map<String, String> env)
            throws ConfigException {
        Map<String, List<Setting>> shape = new LinkedHashMap<>(SettingsLoader.load(List.of(), Map.of()));
        settings.forEach((key, values) -> {
            if (VERIFY_KEYS.contains(key)) {
                shape.put(key, values);
            }
        });
        return build(shape, env, false);
    }

    private static JobConfig build(Map<String, List<Setting>> settings, Map<String, String> env, boolean isRun)
            throws ConfigException {
        SettingReader r = new SettingReader(settings);
        InputSettings input = InputParser.parse(r, env);
        if (isRun && r.value("summary") != null) {
            throw new ConfigException("--summary is for harvest verify; a run writes summary-<start time>.json in --out");
        }
        JobMode mode = ModeParser.parse(r, input.urlColumn(), isRun);
        RequestSettings request = RequestParser.parse(r, env, mode, isRun);
        FlowSettings flow = FlowParser.parse(r);
        ReportSettings report = ReportParser.parse(r);
        OutputSettings output = OutputParser.parse(r, input.path(), mode, report.metricsFile(), isRun);
        return new JobConfig(input, request, flow, output, report);
    }

    /** The job's secrets: what must never appear in text harvest writes ({@link Secrets}). */
    public Secrets secrets() {
        return request.secrets();
    }

    /**
     * The settings as an operator may see them: secrets redacted, in help order, each value in the
     * form its flag accepts and typed (see {@link EffectiveConfig}).
     */
    public EffectiveConfig describe() {
        return JobDescription.of(this);
    }
}
