package dev.harvest.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An output file written under a {@code .part} name and renamed to its real name only when the run
 * completes, so a downstream job never reads half a file. Writes are buffered and reach the OS at
 * {@link #flush()}, which the store stage calls before each journal checkpoint; {@link #offset()}
 * is the length the journal records.
 *
 * <p>A failed write (disk full, file size limit) leaves the file <em>broken</em>: the buffer's
 * state no longer matches the file, so nothing more is written to it, and {@link #cutBack} trims
 * whatever part of a line reached the disk.
 *
 * <p>{@code --results -} writes to standard output instead ({@link #stream}): no {@code .part}
 * name, no rename, and nothing can be cut back once it is out.
 */
final class OutputFile implements Closeable {
    private static final int BUFFER = 1 << 18;

    private final Path target;
    private final Path part;
    private final WritableByteChannel channel;
    /** Standard output for {@code --results -}, else null. */
    private final OutputStream stream;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private long offset;
    private boolean broken;

    private OutputFile(Path target, Path part, WritableByteChannel channel, OutputStream stream, long offset) {
        this.target = target;
        this.part = part;
        this.channel = channel;
        this.stream = stream;
        this.offset = offset;
    }

    static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /** Creates a new, empty {@code .part} file; fails if one exists. */
    static OutputFile create(Path target) throws IOException {
        Path part = partOf(target);
        FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new OutputFile(target, part, ch, null, 0);
    }

    /** Writes to standard output ({@code --results -}); closing it leaves the stream open. */
    static OutputFile stream(OutputStream out) {
        return new OutputFile(RunFiles.STDOUT, RunFiles.STDOUT, Channels.newChannel(out), out, 0);
    }

    /** Reopens an interrupted run's {@code .part} file, cut back to the last checkpointed length. */
    static OutputFile resume(Path target, long length) throws IOException {
        Path part = partOf(target);
        FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE);
        ch.truncate(length);
        ch.position(length);
        return new OutputFile(target, part, ch, null, length);
    }

    Path target() {
        return target;
    }

    Path part() {
        return part;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len > buffer.remaining()) {
            flush();
            if (len > buffer.capacity()) {
                writeFully(ByteBuffer.wrap(b, off, len));
                offset += len;
                return;
            }
        }
        buffer.put(b, off, len);
        offset += len;
    }

    /** Bytes written so far, buffered ones included. */
    long offset() {
        return offset;
    }

    /** Hands buffered bytes to the OS (enough to survive the process being killed). */
    void flush() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
        if (stream != null) {
            // Rows reach the reader (jq, a pipe) at each checkpoint; a PrintStream hides a closed pipe.
            stream.flush();
            if (stream instanceof PrintStream ps && ps.checkError()) {
                broken = true;
                throw new IOException("standard output (--results -): closed or not writable");
            }
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        if (broken) {
            throw new IOException(part + ": an earlier write failed");
        }
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            broken = true;
            // "No space left on device" alone does not say which file or where.
            throw new IOException(part + ": " + e.getMessage(), e);
        }
    }

    /**
     * After a failed write: drops everything past {@code length} (the last journaled checkpoint),
     * so the {@code .part} file ends on a whole line, as the journal says. Shrinking needs no
     * space, so this works on a full disk; if it fails anyway, the resume cuts back the same way.
     * Buffered bytes are dropped and nothing more is written to this file.
     */
    void cutBack(long length) {
        broken = true;
        buffer.clear();
        try {
            if (channel instanceof FileChannel file && file.isOpen() && file.size() > length) {
                file.truncate(length);
            }
        } catch (IOException ignored) {
            // the resume truncates to the journal's lengths before writing anything
        }
    }

    /** Flushes, syncs to the device, closes and renames to the final name. */
    void commit() throws IOException {
        flush();
        if (stream != null) {
            return; // standard output stays open for whoever else writes there
        }
        FileChannel channel = (FileChannel) this.channel;
        channel.force(true);
        channel.close();
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Flushes and closes, keeping the {@code .part} name for a later resume. */
    @Override
    public void close() throws IOException {
        if (stream != null) {
            if (!broken) {
                flush();
            }
            return;
        }
        FileChannel channel = (FileChannel) this.channel;
        if (channel.isOpen() && broken) {
            channel.close();
        } else if (channel.isOpen()) {
            try {
                flush();
                channel.force(true);
            } finally {
                channel.close();
            }
        }
    }
}
