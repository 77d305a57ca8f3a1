package dev.harvest.store;

import dev.harvest.report.RunCounts;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The store stage's write-ahead record of what is safely in the output files, written here and
 * read back by {@link JournalReader}. The first line says which job and input it belongs to; each
 * checkpoint line holds the results and failed files' lengths, the input lines completed since the
 * previous checkpoint, and running counts ({@link JournalLines}). A resumed run cuts the
 * {@code .part} files back to the last checkpoint that is intact and fits the files on disk, and
 * skips exactly the lines it lists, so nothing is lost or written twice whatever moment the
 * process died.
 *
 * <p>Bounded: the store stage checkpoints only when something changed, and once the journal has
 * grown by {@value #COMPACT_LINES} lines it is rewritten (atomically) as the header and one
 * checkpoint holding every completed line.
 *
 * <p>Completion is crash-safe: a {@code "completing"} line, synced, comes before the renames to
 * the final names, so a run that finds it knows that a missing {@code .part} file was renamed.
 */
public final class Journal implements Closeable {
    static final int COMPACT_LINES = 4096;

    private final Path path;
    private final JournalHeader header;
    /** Every line completed in this job so far (resumed runs included): what a compaction writes. */
    private final BitSet done;
    private FileChannel channel;
    private long length;
    private int linesSinceCompaction;
    private boolean broken;

    private Journal(Path path, JournalHeader header, BitSet done, FileChannel channel, long length, int lines) {
        this.path = path;
        this.header = header;
        this.done = done;
        this.channel = channel;
        this.length = length;
        this.linesSinceCompaction = lines;
    }

    /** Starts a new run's journal with its header. */
    static Journal create(Path path, JournalHeader header) throws IOException {
        Files.deleteIfExists(JobIdentity.replacement(path));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Journal j = new Journal(path, header, new BitSet(), ch, 0, 0);
        j.append(JournalLines.header(header));
        return j;
    }

    /** Reopens a journal for appending after {@link JournalReader#load}, dropping any torn or unusable tail. */
    static Journal reopen(JournalState state) throws IOException {
        Path p = state.header().files().journal();
        Files.deleteIfExists(JobIdentity.replacement(p));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE);
        ch.truncate(state.validJournalLength());
        ch.position(state.validJournalLength());
        return new Journal(p, state.header(), (BitSet) state.done().clone(), ch, state.validJournalLength(),
                state.checkpoints());
    }

    /**
     * Journals the lines completed since the last checkpoint, with the files' lengths and the counts
     * at this moment.
     *
     * @param lines the completed lines in {@code lines[0..count)}, in any order (sorted here)
     */
    void checkpoint(long resultsLength, long failedLength, long[] lines, int count, RunCounts counts)
            throws IOException {
        Arrays.sort(lines, 0, count);
        for (int i = 0; i < count; i++) {
            done.set(Math.toIntExact(lines[i]));
        }
        if (linesSinceCompaction >= COMPACT_LINES) {
            compact(resultsLength, failedLength, counts);
            return;
        }
        append(JournalLines.checkpoint(resultsLength, failedLength, counts, lines, count));
        linesSinceCompaction++;
    }

    /**
     * Rewrites the journal as its header and one checkpoint holding every completed line: written
     * beside it, synced, then renamed over it, so a kill at any moment leaves the old journal or the
     * new one, both whole.
     */
    private void compact(long resultsLength, long failedLength, RunCounts counts) throws IOException {
        if (broken) {
            throw new IOException(path + ": an earlier write failed");
        }
        Path temp = JobIdentity.replacement(path);
        byte[] text = (JournalLines.header(header) + JournalLines.checkpoint(resultsLength, failedLength, counts, done))
                .getBytes(StandardCharsets.UTF_8);
        try {
            try (FileChannel t = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(text);
                while (b.hasRemaining()) {
                    t.write(b);
                }
                t.force(true);
            }
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // The old journal is untouched and still says what the files hold.
            Files.deleteIfExists(temp);
            throw new IOException(path + ": cannot compact the journal: " + e.getMessage(), e);
        }
        channel.close();
        channel = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        length = text.length;
        linesSinceCompaction = 1;
    }

    /**
     * Records, synced, that the run is complete and its files are about to get their final names.
     * From here on a run of this job finishes the renames instead of refusing the missing {@code .part} files.
     */
    void completing() throws IOException {
        append(JournalLines.completing());
        channel.force(false);
    }

    /**
     * Appends one line. If the write fails (disk full), the torn line is cut off where possible and
     * nothing more is appended: the last whole checkpoint stands, and a resume would ignore a torn
     * tail anyway (its CRC fails) together with anything after it.
     */
    private void append(String line) throws IOException {
        if (broken) {
            throw new IOException(path + ": an earlier write failed");
        }
        ByteBuffer b = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
            length += b.limit();
        } catch (IOException e) {
            broken = true;
            try {
                channel.truncate(length);
            } catch (IOException ignored) {
                // the torn line fails its CRC on load
            }
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    /** Syncs and closes, keeping the journal for a resume. */
    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            try {
                channel.force(true);
            } finally {
                channel.close();
            }
        }
    }

    /** Closes and deletes: the run completed and its files have their final names. */
    void delete() throws IOException {
        close();
        Files.deleteIfExists(path);
    }
}
