package dev.harvest.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Keeps two runs of the same job (same input, URL, outputs and shard) from overlapping, e.g. when
 * cron starts tonight's run while last night's is still going. An OS file lock in the output
 * directory: the kernel drops it when the process dies, even by {@code kill -9}, so a stale lock
 * never blocks the next run.
 */
public final class JobLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private JobLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file for a job. */
    public static Path path(Path outDir, String fingerprint) {
        return outDir.resolve(".harvest-" + fingerprint + ".lock");
    }

    /**
     * Takes the job's lock, or returns empty when another process holds it.
     *
     * @param holderInfo written into the lock file for the operator (e.g. the PID)
     */
    public static Optional<JobLock> tryAcquire(Path file, String holderInfo) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this same JVM (a test running two jobs at once)
        }
        if (lock == null) {
            ch.close();
            return Optional.empty();
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((holderInfo + "\n").getBytes(StandardCharsets.UTF_8)));
        return Optional.of(new JobLock(ch, lock));
    }

    /** Reads who holds a lock, for the error message. */
    public static String holder(Path file) {
        try {
            return java.nio.file.Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
