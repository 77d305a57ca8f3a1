package dev.harvest.store;

import dev.harvest.fetch.RequestSettings;
import dev.harvest.fetch.Secrets;
import dev.harvest.read.InputSettings;
import dev.harvest.read.Shard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run will write and whether it continues an earlier one, decided before anything is
 * created or logged ({@link #prepare}); {@link StoreStage#open} then carries it out.
 *
 * @param output   where and what the run writes
 * @param secrets  what must never be written (failed rows' messages are scrubbed of it)
 * @param files    the run's files
 * @param identity the job's keys and hidden file names
 * @param input    the input's identity, recorded in a new run's journal
 * @param resumed  the interrupted run's state, or null for a new run
 */
public record RunPlan(OutputSettings output, Secrets secrets, RunFiles files, JobIdentity identity, InputIdentity input,
                      JournalState resumed) {

    /**
     * Checks the output directory and decides the run's files: a new run's stamped names, or with
     * {@code --resume} the newest unfinished run of the same job, if its input is still the same.
     * Creates nothing, except that a run found killed during its final renames (completed, input
     * changed since) gets its renames finished.
     *
     * @param in      what the run reads (its identity decides whether a resume may continue)
     * @param request the URL and shape, part of the job's identity; its secrets are never written
     * @param output  where and what the run writes
     * @param notices gets what the operator should be told (why an unfinished run is not resumed),
     *                also when this then throws
     * @throws OutputException when the directory is missing or unwritable, a file exists, there is
     *                         nothing to resume, or the input is not the one the run read
     */
    public static RunPlan prepare(InputSettings in, RequestSettings request, OutputSettings output, String stamp,
                                  List<String> notices) throws OutputException, IOException {
        Path dir = output.outDir();
        checkOutDir(output);
        JobIdentity identity = JobIdentity.of(in, request, output);
        InputIdentity input;
        try {
            input = in.path() == null ? InputIdentity.STREAM : InputIdentity.of(in.path());
        } catch (IOException e) {
            throw new OutputException("--input " + in.path() + ": cannot read it (" + e.getMessage() + ")");
        }
        Optional<Path> resumable = output.resume() == ResumeMode.NO ? Optional.empty()
                : JournalReader.findResumable(dir, identity);
        if (resumable.isPresent()) {
            Path journalPath = resumable.get();
            JournalState state = JournalReader.load(journalPath);
            RunFiles f = state.header().files();
            String mismatch = input.mismatch(state.header().input(), String.valueOf(in.path()));
            if (mismatch == null) {
                if (state.completing()) {
                    // Killed during its final renames: put back what was renamed and let the resume
                    // (every line done) complete it again, summary and all.
                    undoRenames(state);
                }
                for (Path part : List.of(f.resultsPart(), f.failedPart())) {
                    if (!Files.exists(part)) {
                        throw new OutputException("--resume: " + part + " is missing; cannot resume " + journalPath);
                    }
                }
                return new RunPlan(output, request.secrets(), f, identity, input, state);
            }
            if (state.completing()) {
                finishRenames(state);
                notices.add("run " + f.stamp() + " had completed but was stopped while renaming its files;"
                        + " its files now have their final names (" + f.results().getFileName() + ")");
                if (output.resume() == ResumeMode.YES) {
                    throw new OutputException("--resume: no unfinished run of this job in " + dir
                            + " (run " + f.stamp() + " had completed); --resume=auto starts afresh instead");
                }
            } else if (output.resume() == ResumeMode.YES) {
                throw new OutputException("--resume: " + mismatch + "; cannot continue run " + f.stamp()
                        + " (--resume=auto starts afresh instead)");
            } else {
                notices.add("--resume=auto: not continuing run " + f.stamp() + ": " + mismatch + "; starting afresh");
            }
        } else if (output.resume() == ResumeMode.YES) {
            throw new OutputException("--resume: no unfinished run of this job in " + dir
                    + " (same input, URL, format, fields and shard); --resume=auto starts afresh instead");
        }
        return new RunPlan(output, request.secrets(), freshFiles(output, in.shard(), stamp), identity, input, null);
    }

    /** Checks that the output directory exists and is writable. */
    public static void checkOutDir(OutputSettings output) throws OutputException {
        Path dir = output.outDir();
        if (!Files.isDirectory(dir)) {
            throw new OutputException("--out " + dir + ": no such directory");
        }
        if (!Files.isWritable(dir)) {
            throw new OutputException("--out " + dir + ": not writable");
        }
    }

    /** A new run's files: none may exist yet, and each must have a writable directory. */
    private static RunFiles freshFiles(OutputSettings output, Shard shard, String stamp) throws OutputException {
        RunFiles f = RunFiles.plan(output, shard, stamp);
        // A run that starts in the same second as an earlier one in this directory (a quick re-run
        // of the failed file, a script's loop) takes the next free stamp, 20261122-031500_2, instead
        // of failing. '_' sorts after '.', so the newer run's journal still sorts first. Names that do
        // not carry the stamp (--results, --failed) are never overwritten.
        for (int n = 2; n < 100 && taken(f) != null; n++) {
            f = RunFiles.plan(output, shard, stamp + "_" + n);
        }
        Path taken = taken(f);
        if (taken != null) {
            throw new OutputException(taken + " already exists (choose another --out or file name, or --resume)");
        }
        for (var named : List.of(Map.entry("--log", f.log()), Map.entry("--results", f.results()),
                Map.entry("--failed", f.failed()))) {
            if (named.getValue().equals(RunFiles.STDOUT)) {
                continue;
            }
            Path parent = named.getValue().toAbsolutePath().getParent();
            if (parent != null && (!Files.isDirectory(parent) || !Files.isWritable(parent))) {
                throw new OutputException(named.getKey() + " " + named.getValue() + ": its directory is missing or not writable");
            }
        }
        return f;
    }

    /** The first of a new run's files that exists already, or null. */
    private static Path taken(RunFiles f) {
        for (Path p : List.of(f.results(), f.failed(), f.resultsPart(), f.failedPart(), f.journal(), f.summary())) {
            if (!p.equals(RunFiles.STDOUT) && Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * A completed run was killed between its renames: renames a final file back to its
     * {@code .part} name when it is exactly what the journal says, so the resume finds the run as it
     * was just before completing.
     */
    private static void undoRenames(JournalState state) throws IOException {
        RunFiles f = state.header().files();
        undoRename(f.results(), f.resultsPart(), state.resultsLength());
        undoRename(f.failed(), f.failedPart(), state.failedLength());
    }

    private static void undoRename(Path target, Path part, long length) throws IOException {
        if (!Files.exists(part) && Files.exists(target) && Files.size(target) == length) {
            Files.move(target, part, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * A completed run was killed between its renames and cannot be resumed (its input changed):
     * does the rest of them. Its {@code .part} files end at its final checkpoint, so they are whole.
     */
    private static void finishRenames(JournalState state) throws IOException {
        RunFiles f = state.header().files();
        for (Path part : List.of(f.resultsPart(), f.failedPart())) {
            if (Files.exists(part)) {
                Path target = part == f.resultsPart() ? f.results() : f.failed();
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.deleteIfExists(f.journal());
    }
}
