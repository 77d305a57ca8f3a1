package dev.harvest.config;

import dev.harvest.fetch.JobMode;
import dev.harvest.store.OutputFormat;
import dev.harvest.store.OutputSettings;
import dev.harvest.store.Projection;
import dev.harvest.store.ResumeMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the {@link OutputSettings} of a job: --out, the explicit output files, the results'
 * format and fields, and --resume. For a run the explicit files are checked here, before the lock
 * file, the log or any output exists.
 */
final class OutputParser {
    private OutputParser() {
    }

    /**
     * @param input       the input file (no output may be it), or null for standard input
     * @param mode        the job's shape
     * @param metricsFile the metrics file (no other output may be it), or null
     * @param isRun       false for {@code harvest verify}, which writes nothing
     */
    static OutputSettings parse(SettingReader r, Path input, JobMode mode, Path metricsFile, boolean isRun)
            throws ConfigException {
        OutputFormat format = Values.choice(r.get("format"), OutputFormat.class, "jsonl", "csv");
        Projection projection;
        try {
            projection = Projection.parse(r.value("records"), r.value("fields"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (mode.kind() != JobMode.Kind.JSON && !projection.isNone()) {
            throw new ConfigException("--records and --fields shape JSON bodies; "
                    + (mode.kind() == JobMode.Kind.DOWNLOAD ? "--save-to" : "--parse rss") + " writes fixed columns");
        }
        if (format == OutputFormat.CSV && projection.fields().isEmpty() && mode.kind() == JobMode.Kind.JSON) {
            throw new ConfigException("--format csv needs --fields (which columns to write)");
        }
        Path out = Path.of(r.get("out").value());
        ResumeMode resume = resumeMode(r.get("resume"));
        if (isRun) {
            checkOutputs(r, input, metricsFile);
            if ("-".equals(r.value("results")) && resume != ResumeMode.NO) {
                throw new ConfigException("--results - writes the results to standard output, which a resume cannot"
                        + " take back; drop --resume (a stopped run is run again from the start)");
            }
        }
        return new OutputSettings(out, r.path("results"), r.path("failed"), r.path("log"), format, projection, resume,
                mode);
    }

    private static ResumeMode resumeMode(Setting s) throws ConfigException {
        if (s.value().strip().equalsIgnoreCase("auto")) {
            return ResumeMode.AUTO;
        }
        try {
            return Values.bool(s) ? ResumeMode.YES : ResumeMode.NO;
        } catch (ConfigException e) {
            throw Values.bad(s, "expected true, false or auto");
        }
    }

    /**
     * The explicit output files: each in a writable directory, none on a file the run reads or on
     * another output.
     */
    private static void checkOutputs(SettingReader r, Path input, Path metricsFile) throws ConfigException {
        for (String key : List.of("results", "failed", "log")) {
            Path p = r.path(key);
            if (p != null && key.equals("results") && p.toString().equals("-")) {
                continue; // standard output
            }
            Path dir = p == null ? null : p.toAbsolutePath().getParent();
            if (p != null && (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir))) {
                throw new ConfigException("--" + key + " " + p + ": its directory is missing or not writable");
            }
            if (p != null && Files.isDirectory(p)) {
                throw new ConfigException("--" + key + " " + p + ": is a directory");
            }
        }
        Path results = r.path("results");
        if (results != null && results.toString().equals("-")) {
            results = null; // standard output: no file to clash with
        }
        Path failed = r.path("failed");
        OutputPaths.check(
                List.of(new OutputPaths.Named("--input", input), new OutputPaths.Named("--config", r.path("config")),
                        new OutputPaths.Named("--token-file", r.path("token-file"))),
                List.of(new OutputPaths.Named("--results", results), new OutputPaths.Named("--results", part(results)),
                        new OutputPaths.Named("--failed", failed), new OutputPaths.Named("--failed", part(failed)),
                        new OutputPaths.Named("--log", r.path("log")),
                        new OutputPaths.Named("--metrics-file", metricsFile)));
        if (metricsFile != null) {
            OutputPaths.checkMetricsFile(metricsFile);
        }
    }

    /** The in-progress name harvest writes an output under until the run completes. */
    private static Path part(Path p) {
        return p == null ? null : p.resolveSibling(p.getFileName() + ".part");
    }
}
