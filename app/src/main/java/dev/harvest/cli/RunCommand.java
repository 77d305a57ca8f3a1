package dev.harvest.cli;

import dev.harvest.config.ConfigException;
import dev.harvest.config.Housekeeping;
import dev.harvest.config.JobConfig;
import dev.harvest.config.Setting;
import dev.harvest.config.SettingsLoader;
import dev.harvest.fetch.Secrets;
import dev.harvest.pipeline.Ending;
import dev.harvest.pipeline.Pipeline;
import dev.harvest.pipeline.StopRequest;
import dev.harvest.read.IdSource;
import dev.harvest.read.IdSources;
import dev.harvest.read.InputException;
import dev.harvest.report.Progress;
import dev.harvest.report.ReportFiles;
import dev.harvest.report.RunCounts;
import dev.harvest.report.RunStats;
import dev.harvest.report.Summary;
import dev.harvest.store.OutputException;
import dev.harvest.store.RunFiles;
import dev.harvest.store.RunPlan;
import dev.harvest.store.StoreStage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code harvest run}: checks everything that can be checked before any file exists, then runs the
 * pipeline and reports. Order matters: settings, input, output directory (all exit 2 with nothing
 * written), then logging, output files and requests.
 */
final class RunCommand {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Map<String, String> env;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;

    RunCommand(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
        this.env = env;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    int execute(List<Setting> flags) throws ConfigException {
        Map<String, List<Setting>> settings = SettingsLoader.load(flags, env);
        JobConfig job = JobConfig.from(settings, env);
        Housekeeping tidy = Housekeeping.from(settings);
        ShardHint.warning(env, job.input().shard()).ifPresent(w -> err.println("harvest: warning: " + w));
        return execute(job, tidy);
    }

    int execute(JobConfig job) throws ConfigException {
        return execute(job, Housekeeping.NONE);
    }

    private int execute(JobConfig job, Housekeeping tidy) throws ConfigException {
        long started = System.nanoTime();
        IdSource source;
        try {
            source = IdSources.open(job.input(), stdin);
        } catch (InputException e) {
            throw new ConfigException(e.getMessage());
        }
        OutDirLock outDir; // before the file names: a second run of the job must learn the first is going
        try {
            outDir = OutDirLock.take(job);
        } catch (ConfigException e) {
            close(source);
            throw e;
        }
        if (!outDir.held()) {
            close(source);
            err.println("harvest: error: " + outDir.heldElsewhere());
            return ExitCode.LOCKED;
        }
        boolean setupFailed = true;
        try {
            RunPlan plan;
            List<String> notices = new ArrayList<>();
            if (job.flow().concurrencyInFlight() < job.flow().concurrency()) {
                notices.add("--concurrency " + job.flow().concurrency() + ": this heap ("
                        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB) holds " + job.flow().concurrencyInFlight()
                        + " requests in flight; running with " + job.flow().concurrencyInFlight()
                        + " (more needs a bigger heap: HARVEST_JAVA_OPTS=-Xmx...)");
            }
            try {
                plan = RunPlan.prepare(job.input(), job.request(), job.output(), LocalDateTime.now().format(STAMP), notices);
            } catch (IOException e) {
                close(source);
                throw new ConfigException("--out " + job.output().outDir() + ": " + e.getMessage());
            } catch (OutputException e) {
                close(source);
                throw new ConfigException(e.getMessage());
            } finally {
                notices.forEach(n -> err.println("harvest: note: " + n));
            }
            int code = run(job, source, plan, notices, started, tidy);
            setupFailed = false;
            return code;
        } finally {
            outDir.release(setupFailed);
        }
    }

    private int run(JobConfig job, IdSource source, RunPlan plan, List<String> notices, long started,
                    Housekeeping tidy) throws ConfigException {
        RunFiles files = plan.files();
        Secrets secrets = job.secrets();
        boolean logToStderr = files.log().equals(RunFiles.STDOUT); // --log -: the standard stream, not a file
        boolean logExisted = logToStderr || Files.exists(files.log());
        Logging.start(logToStderr ? null : files.log(), err, job.report().logLevel(), secrets,
                problem -> err.println("harvest: warning: " + problem));
        Logger log = LogManager.getLogger(RunCommand.class);
        try {
            log.info("{} starting{}", Help.version(), plan.resumed() != null ? " (resuming run " + files.stamp() + ")" : "");
            log.info("effective config: {}", job.describe());
            notices.forEach(n -> log.warn("{}", n));
            RunStats stats = new RunStats();
            StoreStage store;
            try {
                store = StoreStage.open(plan, stats, out);
            } catch (IOException e) {
                close(source);
                if (plan.resumed() == null && !logExisted) {
                    Logging.stop();
                    deleteQuietly(files.log()); // a setup error (exit 2) leaves nothing behind
                }
                throw new ConfigException("cannot create output files in " + job.output().outDir() + ": " + e.getMessage());
            }
            StopRequest stop = new StopRequest();
            Pipeline pipeline = new Pipeline(job.flow(), job.request(), source, HttpFetchStage.opener(job, store),
                    new StoreStageSink(store), stats);
            Progress progress = new Progress(stats, source.totalBytes(), started, pipeline::inFlight, pipeline::retrying,
                    pipeline::concurrencyLimit, pipeline::latencyFloorMillis);
            ReportFiles reports = new ReportFiles(files.summary(), job.report().metricsFile());
            Map<String, String> running = shown(job, files, false);
            // Log lines on stderr would tear the redrawn progress line: --log - draws none unless --progress.
            Boolean drawProgress = logToStderr && job.report().progress() == null ? Boolean.FALSE : job.report().progress();
            Ending ending;
            try (Signals _ = Signals.install(stop);
                 LiveReport _ = LiveReport.start(progress, Terminal.showsProgress(drawProgress, job.report().quiet(), err, env) ? err : null,
                         !job.report().quiet(), job.report().progressInterval(), p -> reports.write(
                                 new Summary("running", null, stats, p, running, job.describe(), source.header(), job.report().maxFailed())))) {
                ending = pipeline.run(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ending = Ending.aborted("interrupted");
            } catch (RuntimeException | Error e) {
                // Never a raw stack trace and exit 1: the run stops resumable, the trace goes to the log.
                log.error("internal error", e);
                ending = Ending.aborted("internal error (" + e.getClass().getName() + "); see the log");
            } finally {
                close(source);
            }
            log.info("input header: {}", source.header() == null ? "none" : "'" + source.header() + "' (skipped)");
            boolean complete = ending instanceof Ending.Completed && stats.abandoned() == 0;
            String closeError = null;
            try {
                if (complete) {
                    store.complete();
                } else {
                    store.suspend();
                }
            } catch (IOException e) {
                closeError = e.getMessage();
                complete = false;
            } catch (RuntimeException e) {
                log.error("internal error while closing the output files", e);
                closeError = "internal error (" + e.getClass().getName() + "); see the log";
                complete = false;
            }
            RunCounts counts = stats.snapshot(); // after suspend(), which may take back what was not checkpointed
            int code = RunEnding.exitCode(ending, counts, complete, job.report().maxFailed());
            // An abort's cause may quote a server's answer; it goes to the summary, the log and stderr.
            String outcome = secrets.scrub(RunEnding.outcome(ending, counts, complete, closeError));
            Summary summary = new Summary(outcome, code, stats, progress.sample(), shown(job, files, complete), job.describe(),
                    source.header(), job.report().maxFailed());
            try {
                reports.write(summary);
            } catch (IOException e) {
                log.error("cannot write the summary or metrics file: {}", e.getMessage());
            }
            if (complete) {
                RunTidy.after(tidy, job, files, log, err);
            }
            log.info("run ended: {} (exit code {}); {} ok, {} failed, {} skipped, {} unfinished", outcome, code,
                    counts.ok(), counts.failedTotal(), counts.skippedTotal(), counts.unfinished());
            if (!job.report().quiet()) {
                // With --results - standard output carries the results only (for jq and the like).
                (files.resultsToStdout() ? err : out).print(summary.toText());
            }
            if (code == ExitCode.ABORTED || code >= 128) {
                err.println("harvest: " + outcome + (complete ? ""
                        : files.resultsToStdout() ? "; the results went to standard output, so this run cannot be"
                                + " resumed: run it again"
                        : "; continue with the same command and --resume"));
            }
            return code;
        } finally {
            Logging.stop();
        }
    }

    /** The files as the summary names them: the final names once complete, the .part names before. */
    private static Map<String, String> shown(JobConfig job, RunFiles files, boolean complete) {
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("results", (complete ? files.results() : files.resultsPart()).toString());
        shown.put("failed", (complete ? files.failed() : files.failedPart()).toString());
        shown.put("log", files.log().toString());
        shown.put("summary", files.summary().toString());
        if (job.output().mode().saveTo() != null) {
            shown.put("downloads", job.output().mode().saveTo().toString());
        }
        return shown;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // only tidying up after a setup error
        }
    }

    private static void close(IdSource source) {
        try {
            source.close();
        } catch (IOException ignored) {
            // input is only read; nothing to lose
        }
    }
}
