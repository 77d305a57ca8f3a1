package dev.harvest.cli;

import dev.harvest.config.ConfigException;
import dev.harvest.config.JobConfig;
import dev.harvest.store.JobIdentity;
import dev.harvest.store.JobLock;
import dev.harvest.store.OutputException;
import dev.harvest.store.RunPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * A run's hold on its {@code --out} directory: the directory (created when missing, see
 * {@link OutDir}) and the job's {@link JobLock} in it. Taken before the run's file names are chosen,
 * so that a second run of the same job learns that the first is still going (exit 4), whatever else
 * would clash; it covers the job's definition in --out, not the input's name: tonight's night2.txt
 * waits for last night's night1.txt. A run that stops with a setup error gives it back leaving
 * nothing behind.
 *
 * @param outDir   the {@code --out} directory
 * @param created  the topmost directory this run created for it, or null
 * @param lockFile the job's lock file
 * @param lock     the lock, or empty when another run holds it
 */
record OutDirLock(Path outDir, Path created, Path lockFile, Optional<JobLock> lock) {

    /**
     * Creates the directory if needed, checks it, and tries the job's lock.
     *
     * @throws ConfigException when the directory cannot be made, used or locked (then nothing made is left)
     */
    static OutDirLock take(JobConfig job) throws ConfigException {
        Path outDir = job.output().outDir();
        Path created = OutDir.create(outDir);
        try {
            RunPlan.checkOutDir(job.output());
            Path lockFile = JobIdentity.of(job.input(), job.request(), job.output()).lockFile(outDir);
            Optional<JobLock> lock = JobLock.tryAcquire(lockFile,
                    "pid " + ProcessHandle.current().pid() + " since " + LocalDateTime.now());
            return new OutDirLock(outDir, created, lockFile, lock);
        } catch (IOException e) {
            OutDir.removeCreated(outDir, created);
            throw new ConfigException("--out " + outDir + ": cannot create the lock file: " + e.getMessage());
        } catch (OutputException e) {
            OutDir.removeCreated(outDir, created);
            throw new ConfigException(e.getMessage());
        }
    }

    /** Whether this run holds the job's lock. */
    boolean held() {
        return lock.isPresent();
    }

    /** Why the run cannot start when another holds the lock, for stderr. */
    String heldElsewhere() {
        return "another run of this job is still going (" + JobLock.holder(lockFile) + "; lock " + lockFile + ")";
    }

    /**
     * Releases the lock (the kernel would at exit anyway). After a setup error (exit 2) the lock file
     * and the directories this run created are removed too.
     */
    void release(boolean setupFailed) {
        try {
            if (setupFailed) {
                lock.get().releaseLeavingNoTrace(); // exit 2: leave nothing behind
                OutDir.removeCreated(outDir, created);
            } else {
                lock.get().close();
            }
        } catch (IOException ignored) {
            // the kernel releases the lock when the process exits anyway
        }
    }
}
