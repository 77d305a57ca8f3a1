package dev.harvest.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code --keep-runs N}: once a run has completed, the stamped files (results, failed, log,
 * summary) of this job's older finished runs in {@code --out} are deleted, keeping the newest N.
 *
 * <p>Careful by design, since it deletes: a run is known by its summary file; it counts only when
 * that summary says it has ended and no resume journal of it is left (an unfinished run stays
 * resumable), and only when its summary names the same job (URL, shape, format, fields and shard:
 * other jobs may share the directory). Only files in {@code --out} whose names carry the run's
 * stamp are deleted, the summary last, so an interrupted clean-up finishes next time.
 */
public final class Retention {
    /** The config keys that tell jobs sharing a directory apart, as the summary spells them. */
    private static final List<String> JOB_KEYS = List.of("url", "url_column", "mode", "save_to", "format", "records",
            "fields", "shard");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Retention() {
    }

    /** One finished run: its tag (stamp and shard suffix), start time and summary. */
    private record Run(String tag, String startedAt, Path summary, JsonNode files) {
    }

    /**
     * Deletes the older finished runs' files.
     *
     * @param outDir   the output directory
     * @param keep     the finished runs to keep (this one included), at least 1
     * @param config   this run's effective config as the summary has it (to know the job's runs)
     * @param shardTag the shard suffix of this run's file names, empty when not sharded
     * @return the files deleted
     */
    public static List<Path> apply(Path outDir, int keep, ObjectNode config, String shardTag) throws IOException {
        List<Run> runs = new ArrayList<>();
        try (DirectoryStream<Path> summaries = Files.newDirectoryStream(outDir, "summary-*" + shardTag + ".json")) {
            for (Path summary : summaries) {
                Run run = finishedRunOfThisJob(outDir, summary, config, shardTag);
                if (run != null) {
                    runs.add(run);
                }
            }
        }
        runs.sort(Comparator.comparing(Run::startedAt).thenComparing(Run::tag).reversed());
        List<Path> deleted = new ArrayList<>();
        for (Run old : runs.subList(Math.min(keep, runs.size()), runs.size())) {
            for (String label : List.of("results", "failed", "log")) {
                Path file = ownFile(outDir, old, old.files().path(label).asText(""));
                if (file != null && Files.deleteIfExists(file)) {
                    deleted.add(file);
                }
            }
            Files.delete(old.summary());
            deleted.add(old.summary());
        }
        return deleted;
    }

    private static Run finishedRunOfThisJob(Path outDir, Path summary, ObjectNode config, String shardTag) {
        String name = summary.getFileName().toString();
        String tag = name.substring("summary-".length(), name.length() - ".json".length());
        // A stamp is yyyyMMdd-HHmmss (with _N); anything else, such as summary-latest.json, is not a run.
        if (!tag.matches("\\d{8}-\\d{6}(_\\d+)?" + java.util.regex.Pattern.quote(shardTag))
                || Files.isSymbolicLink(summary) || Files.exists(JobIdentity.journal(outDir, tag), LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        JsonNode s;
        try {
            s = JSON.readTree(summary.toFile());
        } catch (IOException e) {
            return null; // not readable as a summary: not ours to judge
        }
        if (s == null || s.path("running").asBoolean(true) || s.path("exit_code").isNull() || !s.has("exit_code")) {
            return null;
        }
        for (String key : JOB_KEYS) {
            if (!s.path("config").path(key).equals(config.path(key))) {
                return null;
            }
        }
        return new Run(tag, s.path("started_at").asText(""), summary, s.path("files"));
    }

    /** The file if it lies in the output directory and its name carries the run's tag; else null. */
    private static Path ownFile(Path outDir, Run run, String named) {
        if (named.isEmpty() || named.equals("-")) {
            return null;
        }
        Path file = Path.of(named);
        Path parent = file.toAbsolutePath().normalize().getParent();
        try {
            if (parent == null || !Files.isSameFile(parent, outDir)) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        String fileName = file.getFileName().toString();
        return fileName.contains("-" + run.tag() + ".") ? outDir.resolve(fileName) : null;
    }
}
