package dev.harvest.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps two runs of the same job definition ({@link JobIdentity#definition()}: URL, shape, format,
 * fields, shard and the real output directory, whatever the input is called) from overlapping,
 * e.g. when cron starts tonight's run while last night's is still going. An OS file lock in the
 * output directory: the kernel drops it when the process dies, even by {@code kill -9}, so a stale
 * lock never blocks the next run. A run that stops with a setup error removes the file it created
 * ({@link #releaseLeavingNoTrace}); taking the lock checks that the file locked is still the one under
 * the name, so a removal never lets two runs in.
 */
public final class JobLock implements AutoCloseable {
    private final Path file;
    private final boolean created;
    private final FileChannel channel;
    private final FileLock lock;

    private JobLock(Path file, boolean created, FileChannel channel, FileLock lock) {
        this.file = file;
        this.created = created;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the job's lock, or returns empty when another process holds it.
     *
     * @param holderInfo written into the lock file for the operator (e.g. the PID)
     */
    public static Optional<JobLock> tryAcquire(Path file, String holderInfo) throws IOException {
        // A token only this holder writes: finding it under the name after locking proves that the
        // file locked was not removed by a run ending in between (else take the new file).
        String content = holderInfo + " (" + UUID.randomUUID() + ")\n";
        for (int attempt = 0; attempt < 10; attempt++) {
            boolean created = !Files.exists(file);
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
            ch.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            if (content.equals(readOrEmpty(file))) {
                return Optional.of(new JobLock(file, created, ch, lock));
            }
            lock.release();
            ch.close();
        }
        throw new IOException(file + ": the lock file keeps being replaced");
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Reads who holds a lock, for the error message. */
    public static String holder(Path file) {
        String s = readOrEmpty(file).strip();
        int token = s.lastIndexOf(" (");
        return s.isEmpty() ? "unknown" : token > 0 ? s.substring(0, token) : s;
    }

    /**
     * For a run that ends before it wrote anything (exit 2): removes the lock file if this run
     * created it, then releases the lock, so the directory is as it was.
     */
    public void releaseLeavingNoTrace() throws IOException {
        try {
            if (created) {
                Files.deleteIfExists(file);
            }
        } finally {
            close();
        }
    }

    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
