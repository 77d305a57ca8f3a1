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
        Path results = isRun ? inOut(r.path("results"), out) : r.path("results");
        Path failed = isRun ? inOut(r.path("failed"), out) : r.path("failed");
        Path log = isRun ? inOut(r.path("log"), out) : r.path("log");
        if (isRun) {
            checkOutputs(r, input, metricsFile, out, results, failed, log);
            if ("-".equals(r.value("results")) && resume != ResumeMode.NO) {
                throw new ConfigException("--results - writes the results to standard output, which a resume cannot"
                        + " take back; drop --resume (a stopped run is run again from the start)");
            }
        }
        return new OutputSettings(out, results, failed, log, format, projection, resume, mode);
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
     * The explicit output files: each in a writable directory (--out itself is created if missing),
     * none on a file the run reads or on another output.
     */
    private static void checkOutputs(SettingReader r, Path input, Path metricsFile, Path out, Path results, Path failed,
                                     Path log) throws ConfigException {
        String[] keys = {"results", "failed", "log"};
        Path[] paths = {results, failed, log};
        for (int i = 0; i < keys.length; i++) {
            String key = keys[i];
            Path p = paths[i];
            if (p != null && !key.equals("failed") && p.toString().equals("-")) {
                continue; // standard output or standard error
            }
            Path dir = p == null ? null : p.toAbsolutePath().getParent();
            boolean inOut = dir != null && dir.normalize().equals(out.toAbsolutePath().normalize()); // created if missing
            if (p != null && !inOut && (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir))) {
                throw new ConfigException("--" + key + " " + p + ": its directory is missing or not writable");
            }
            if (p != null && Files.isDirectory(p)) {
                throw new ConfigException("--" + key + " " + p + ": is a directory");
            }
        }
        if (results != null && results.toString().equals("-")) {
            results = null; // standard output: no file to clash with
        }
        if (log != null && log.toString().equals("-")) {
            log = null; // standard error
        }
        OutputPaths.check(
                List.of(new OutputPaths.Named("--input", input), new OutputPaths.Named("--config", r.path("config")),
                        new OutputPaths.Named("--token-file", r.path("token-file"))),
                List.of(new OutputPaths.Named("--results", results), new OutputPaths.Named("--results", part(results)),
                        new OutputPaths.Named("--failed", failed), new OutputPaths.Named("--failed", part(failed)),
                        new OutputPaths.Named("--log", log),
                        new OutputPaths.Named("--metrics-file", metricsFile)));
        if (metricsFile != null) {
            OutputPaths.checkMetricsFile(metricsFile);
        }
    }

    /** An output file named without a directory is in --out, as the default names are; '-' is a standard stream. */
    private static Path inOut(Path p, Path out) {
        return p == null || p.toString().equals("-") || p.getParent() != null ? p : out.resolve(p);
    }

    /** The in-progress name harvest writes an output under until the run completes. */
    private static Path part(Path p) {
        return p == null ? null : p.resolveSibling(p.getFileName() + ".part");
    }
}
