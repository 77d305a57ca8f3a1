package dev.harvest.store;

import dev.harvest.fetch.JobMode;
import dev.harvest.fetch.RequestSettings;
import dev.harvest.fetch.Sha256;
import dev.harvest.read.InputSettings;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Who a job is, in one place: the two hashed keys harvest tells jobs apart by, and the hidden
 * {@code .harvest-*} names derived from them. Hashed because the URL may hold secrets.
 *
 * <ul>
 *   <li>The <em>definition</em> key says what the job fetches and writes: the URL (or URL column
 *       and shape), format, fields, shard and the real output directory. Two runs with the same
 *       definition must not overlap, whatever their input is called, so it names the lock.</li>
 *   <li>The <em>resume</em> key adds the input's name and reading settings and the output names:
 *       a resume looks for a journal with it. Whether the input is still the same content is the
 *       journal's {@link InputIdentity}, not this key.</li>
 * </ul>
 *
 * @param definition the definition key (lock)
 * @param resume     the resume key (journal header, download temporary directory)
 */
public record JobIdentity(String definition, String resume) {
    /** Matches every run's journal in an output directory. */
    static final String JOURNAL_GLOB = ".harvest-*.journal";

    /** The job's keys. The output directory is taken by its real path, so a symlink to it is the same job. */
    public static JobIdentity of(InputSettings input, RequestSettings request, OutputSettings output) {
        String out = realPath(output.outDir());
        String definition = String.join("\n",
                request.url() == null ? "" : request.url().expand("{id}").toString(), output.format().name(),
                String.valueOf(output.projection().records()), output.projection().fields().toString(),
                input.shard().toString(), out) + modeKey(output.mode());
        String resume = String.join("\n",
                input.path() == null ? "-" : input.path().toAbsolutePath().normalize().toString(),
                input.format().name(), String.valueOf(input.header()), input.idColumn(),
                input.shard().toString(), String.valueOf(input.onlyRetryable()),
                request.url() == null ? "" : request.url().expand("{id}").toString(), output.format().name(),
                String.valueOf(output.projection().records()), output.projection().fields().toString(), out,
                String.valueOf(output.resultsFile()), String.valueOf(output.failedFile()))
                + modeKey(output.mode())
                + (input.trim() ? "\ntrim" : ""); // --trim reads other IDs from the same lines
        return new JobIdentity(hash(definition), hash(resume));
    }

    /** The lock file of the job's definition, in its output directory. */
    public Path lockFile(Path outDir) {
        return outDir.resolve(".harvest-" + definition + ".lock");
    }

    /** A run's journal, named by its stamp (and shard suffix). */
    static Path journal(Path outDir, String tag) {
        return outDir.resolve(".harvest-" + tag + ".journal");
    }

    /** The glob of this shard's journals ({@code shardSuffix} is empty when not sharded). */
    static String journalGlob(String shardSuffix) {
        return ".harvest-*" + shardSuffix + ".journal";
    }

    /** The job shape's part of a key; empty for the classic job, so its keys stay as they were. */
    private static String modeKey(JobMode mode) {
        if (mode.equals(JobMode.json())) {
            return "";
        }
        return String.join("\n", "", "mode=" + mode.kind(), "url-column=" + mode.urlColumn(),
                "save-to=" + (mode.saveTo() == null ? "" : mode.saveTo().toAbsolutePath().normalize()),
                "file-name=" + mode.fileName(), "conditional=" + mode.conditional());
    }

    private static String realPath(Path dir) {
        try {
            return dir.toRealPath().toString();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize().toString(); // missing: the run stops at the directory check
        }
    }

    private static String hash(String key) {
        return Sha256.hex(key, 16);
    }
}
