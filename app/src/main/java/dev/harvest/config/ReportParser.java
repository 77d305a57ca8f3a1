package dev.harvest.config;

import dev.harvest.report.FailedBound;
import dev.harvest.report.ReportSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Builds the {@link ReportSettings} of a job: log level, terminal output, metrics file, --max-failed. */
final class ReportParser {
    private ReportParser() {
    }

    static ReportSettings parse(SettingReader r) throws ConfigException {
        String level = r.get("log-level").value().strip().toLowerCase(Locale.ROOT);
        if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
            throw Values.bad(r.get("log-level"), "expected error, warn, info, debug or trace");
        }
        if (Values.bool(r.get("verbose")) && !level.equals("trace")) {
            level = "debug";
        }
        return new ReportSettings(level, Values.bool(r.get("quiet")), progress(r),
                Values.positive(r.get("progress-interval")), metricsFile(r), maxFailed(r.get("max-failed")));
    }

    /** {@code --no-progress} wins over {@code --progress}; neither: null (stderr decides). */
    private static Boolean progress(SettingReader r) throws ConfigException {
        if (Values.bool(r.get("no-progress"))) {
            return false;
        }
        return r.get("progress") == null ? null : Values.bool(r.get("progress"));
    }

    static Path metricsFile(SettingReader r) throws ConfigException {
        Path p = r.path("metrics-file");
        if (p == null) {
            return null;
        }
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir) || Files.isDirectory(p)) {
            throw new ConfigException("--metrics-file " + p + ": its directory is missing or not writable");
        }
        return p;
    }

    private static FailedBound maxFailed(Setting s) throws ConfigException {
        try {
            return FailedBound.parse(s.value());
        } catch (IllegalArgumentException e) {
            throw Values.bad(s, e.getMessage());
        }
    }
}
