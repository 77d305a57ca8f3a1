package dev.harvest.cli;

import dev.harvest.config.Housekeeping;
import dev.harvest.config.JobConfig;
import dev.harvest.store.LatestLinks;
import dev.harvest.store.Retention;
import dev.harvest.store.RunFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Logger;

/**
 * What a completed run does in {@code --out} after its files and summary are final: the
 * {@code --latest} links, then {@code --keep-runs}. A failure here is a warning, never a different
 * exit code: the run itself is done and its files are good.
 */
final class RunTidy {
    private RunTidy() {
    }

    static void after(Housekeeping tidy, JobConfig job, RunFiles files, Logger log, PrintStream err) {
        String shardTag = job.input().shard().count() > 1 ? job.input().shard().fileSuffix() : "";
        if (tidy.latest()) {
            try {
                List<Path> links = LatestLinks.point(job.output().outDir(), files, shardTag);
                log.info("--latest: {} now point at run {}", links.stream().map(p -> p.getFileName().toString()).toList(),
                        files.stamp());
            } catch (IOException | UnsupportedOperationException e) {
                warn(log, err, "--latest: cannot write the latest links in " + job.output().outDir() + ": " + e.getMessage());
            }
        }
        if (tidy.keepRuns() > 0) {
            try {
                List<Path> deleted = Retention.apply(job.output().outDir(), tidy.keepRuns(), job.describe().toJson(), shardTag);
                log.info("--keep-runs {}: deleted {} file(s) of older runs{}", tidy.keepRuns(), deleted.size(),
                        deleted.isEmpty() ? "" : ": " + deleted.stream().map(p -> p.getFileName().toString()).toList());
            } catch (IOException e) {
                warn(log, err, "--keep-runs: cannot delete older runs' files in " + job.output().outDir() + ": " + e.getMessage());
            }
        }
    }

    private static void warn(Logger log, PrintStream err, String message) {
        log.warn("{}", message);
        err.println("harvest: warning: " + message);
    }
}
