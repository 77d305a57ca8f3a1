package dev.harvest.store;

import dev.harvest.fetch.JobMode;
import dev.harvest.fetch.RequestSettings;
import dev.harvest.fetch.Sha256;
import dev.harvest.read.InputSettings;
import dev.harvest.read.Shard;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Who a job is, in one place: the hashed keys harvest tells jobs apart by, and every hidden
 * {@code .harvest-*} name derived from them. Hashed because the URL may hold secrets.
 *
 * <ul>
 *   <li>The <em>definition</em> key says what the job fetches and writes: the URL (or URL column
 *       and shape), format, fields, shard and the real output directory. Two runs with the same
 *       definition must not overlap, whatever their input is called, so it names the lock.</li>
 *   <li>The <em>resume</em> key adds the input's name and reading settings and the output names:
 *       a resume looks for a journal with it, and it names the download temporary directory.
 *       Whether the input is still the same content is the journal's {@link InputIdentity}, not
 *       this key.</li>
 *   <li>The <em>validators</em> key is only what decides what a validator means: where the URLs
 *       come from and what becomes of bodies, not the input, so a nightly input with a new name,
 *       or a failed file fed back in, still finds the conditional-request state.</li>
 * </ul>
 *
 * @param definition  the definition key (lock)
 * @param resume      the resume key (journal header, download temporary directory)
 * @param validators  the validators key (conditional-request state)
 * @param shardSuffix the shard's file name suffix, empty when the job is not sharded
 */
public record JobIdentity(String definition, String resume, String validators, String shardSuffix) {
    private static final String PREFIX = ".harvest-";
    /** Matches every run's journal in an output directory. */
    static final String JOURNAL_GLOB = PREFIX + "*.journal";

    /** The job's keys. The output directory is taken by its real path, so a symlink to it is the same job. */
    public static JobIdentity of(InputSettings input, RequestSettings request, OutputSettings output) {
        String out = realPath(output.outDir());
        String url = request.url() == null ? "" : request.url().expand("{id}").toString();
        String definition = String.join("\n", url, output.format().name(),
                String.valueOf(output.projection().records()), output.projection().fields().toString(),
                input.shard().toString(), out) + modeKey(output.mode());
        String resume = String.join("\n",
                input.path() == null ? "-" : input.path().toAbsolutePath().normalize().toString(),
                input.format().name(), String.valueOf(input.header()), input.idColumn(),
                input.shard().toString(), String.valueOf(input.onlyRetryable()), url, output.format().name(),
                String.valueOf(output.projection().records()), output.projection().fields().toString(), out,
                String.valueOf(output.resultsFile()), String.valueOf(output.failedFile()))
                + modeKey(output.mode())
                + (input.trim() ? "\ntrim" : ""); // --trim reads other IDs from the same lines
        // Taken as written (not the real path) and shorter: existing state files keep their names.
        String validators = String.join("\n", output.outDir().toAbsolutePath().normalize().toString(),
                request.url() == null ? "column:" + output.mode().urlColumn() : url,
                output.mode().kind().name(), output.format().name(),
                output.mode().saveTo() == null ? "" : output.mode().saveTo().toAbsolutePath().normalize().toString(),
                String.valueOf(output.mode().fileName()));
        return new JobIdentity(Sha256.hex(definition, 16), Sha256.hex(resume, 16), Sha256.hex(validators, 8),
                shardSuffix(input.shard()));
    }

    /** The file name suffix of a shard ({@code .shard-2-of-4}), empty when the job is not sharded. */
    static String shardSuffix(Shard shard) {
        return shard.count() > 1 ? shard.fileSuffix() : "";
    }

    /** The lock file of the job's definition, in its output directory. */
    public Path lockFile(Path outDir) {
        return outDir.resolve(PREFIX + definition + ".lock");
    }

    /** The job's conditional-request state ({@link ConditionalState}), in its output directory. */
    Path validatorsFile(Path outDir) {
        return outDir.resolve(PREFIX + validators + shardSuffix + ".validators.jsonl");
    }

    /** Where download bodies wait for their final names: inside {@code --save-to}, so the rename is atomic. */
    Path downloadTemp(Path saveTo) {
        return saveTo.resolve(PREFIX + resume + ".tmp");
    }

    /** The glob of this job's shard's journals (a journal's header says whose it is). */
    String journalGlob() {
        return PREFIX + "*" + shardSuffix + ".journal";
    }

    /** A run's journal, named by its stamp and shard suffix ({@code tag}). */
    static Path journal(Path outDir, String tag) {
        return outDir.resolve(PREFIX + tag + ".journal");
    }

    /**
     * Where a new version of one of these hidden files (a compacted journal, the validators) is
     * written and synced before it is renamed over the file.
     */
    static Path replacement(Path hidden) {
        return hidden.resolveSibling(hidden.getFileName() + ".tmp");
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
}
