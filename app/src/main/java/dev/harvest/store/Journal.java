package dev.harvest.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harvest.fetch.FailureReason;
import dev.harvest.report.RunStats;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The store stage's write-ahead record of what is safely in the output files. The first line says
 * which job and input it belongs to; each checkpoint line holds the results and failed files'
 * lengths, the input lines completed since the previous checkpoint, and running counts, followed by
 * a CRC. A resumed run cuts the {@code .part} files back to the last checkpoint that is intact and
 * fits the files on disk, and skips exactly the lines it lists, so nothing is lost or written twice
 * whatever moment the process died.
 *
 * <p>Bounded: the store stage checkpoints only when something changed, and once the journal has
 * grown by {@value #COMPACT_LINES} lines it is rewritten (atomically) as the header and one
 * checkpoint holding every completed line. {@link #load} reads it a line at a time.
 *
 * <p>Completion is crash-safe: a {@code "completing"} line, synced, comes before the renames to
 * the final names, so a run that finds it knows that a missing {@code .part} file was renamed.
 */
public final class Journal implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int VERSION = 2;
    static final int COMPACT_LINES = 4096;

    private final Path path;
    private final Header header;
    /** Every line completed in this job so far (resumed runs included): what a compaction writes. */
    private final BitSet done;
    private FileChannel channel;
    private long length;
    private int linesSinceCompaction;
    private boolean broken;

    private Journal(Path path, Header header, BitSet done, FileChannel channel, long length, int lines) {
        this.path = path;
        this.header = header;
        this.done = done;
        this.channel = channel;
        this.length = length;
        this.linesSinceCompaction = lines;
    }

    /**
     * What a journal says about an interrupted run.
     *
     * @param completing the run had finished and was renaming its files when it stopped
     */
    public record State(Header header, long resultsLength, long failedLength, BitSet done, RunStats.Outcomes counts,
                        long validJournalLength, int checkpoints, boolean completing) {
    }

    /**
     * The journal's first line: which job it belongs to, what its input was and where its files are.
     *
     * @param fingerprint the job's resume key ({@link JobIdentity#resume()})
     * @param files       the run's files
     * @param input       the input's identity, checked by a resume
     */
    public record Header(String fingerprint, RunFiles files, InputIdentity input) {
    }

    static Journal create(Path path, Header header) throws IOException {
        Files.deleteIfExists(compactionTemp(path));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Journal j = new Journal(path, header, new BitSet(), ch, 0, 0);
        j.append(headerLine(header));
        return j;
    }

    /** Reopens a journal for appending after {@link #load}, dropping any torn or unusable tail. */
    static Journal reopen(State state) throws IOException {
        Path p = state.header().files().journal();
        Files.deleteIfExists(compactionTemp(p));
        FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE);
        ch.truncate(state.validJournalLength());
        ch.position(state.validJournalLength());
        return new Journal(p, state.header(), (BitSet) state.done().clone(), ch, state.validJournalLength(),
                state.checkpoints());
    }

    private static ObjectNode headerLine(Header header) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", VERSION);
        n.put("fingerprint", header.fingerprint());
        RunFiles f = header.files();
        n.put("stamp", f.stamp());
        n.put("results", f.results().toString());
        n.put("failed", f.failed().toString());
        n.put("log", f.log().toString());
        n.put("summary", f.summary().toString());
        ObjectNode in = n.putObject("input");
        InputIdentity id = header.input();
        in.put("stream", id.stream());
        in.put("size", id.size());
        in.put("mtime", id.modifiedMillis());
        in.put("head_sha256", id.headSha256());
        return n;
    }

    /** Journals the lines completed since the last checkpoint, with the files' lengths and the counts at this moment. */
    void checkpoint(long resultsLength, long failedLength, long[] lines, int count, RunStats.Outcomes counts)
            throws IOException {
        Arrays.sort(lines, 0, count);
        for (int i = 0; i < count; i++) {
            done.set(Math.toIntExact(lines[i]));
        }
        if (linesSinceCompaction >= COMPACT_LINES) {
            compact(resultsLength, failedLength, counts);
            return;
        }
        ObjectNode n = checkpointLine(resultsLength, failedLength, counts);
        var d = n.putArray("d");
        for (int i = 0; i < count; ) {
            long start = lines[i];
            long end = start;
            i++;
            while (i < count && lines[i] <= end + 1) {
                end = lines[i++];
            }
            d.add(start);
            d.add(end);
        }
        append(n);
        linesSinceCompaction++;
    }

    private static ObjectNode checkpointLine(long resultsLength, long failedLength, RunStats.Outcomes counts) {
        ObjectNode n = JSON.createObjectNode();
        n.put("r", resultsLength);
        n.put("f", failedLength);
        n.put("ok", counts.ok());
        n.put("rows", counts.rows());
        n.put("unchanged", counts.unchanged());
        n.put("ok_empty", counts.okEmpty());
        ObjectNode fc = n.putObject("failed");
        counts.failed().forEach((r, c) -> fc.put(r.label(), c));
        return n;
    }

    /**
     * Rewrites the journal as its header and one checkpoint holding every completed line: written
     * beside it, synced, then renamed over it, so a kill at any moment leaves the old journal or the
     * new one, both whole.
     */
    private void compact(long resultsLength, long failedLength, RunStats.Outcomes counts) throws IOException {
        if (broken) {
            throw new IOException(path + ": an earlier write failed");
        }
        ObjectNode n = checkpointLine(resultsLength, failedLength, counts);
        var d = n.putArray("d");
        for (int a = done.nextSetBit(0); a >= 0; ) {
            int b = done.nextClearBit(a);
            d.add(a);
            d.add(b - 1);
            a = done.nextSetBit(b);
        }
        Path temp = compactionTemp(path);
        byte[] text = (line(headerLine(header)) + line(n)).getBytes(StandardCharsets.UTF_8);
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

    private static Path compactionTemp(Path journal) {
        return journal.resolveSibling(journal.getFileName() + ".tmp");
    }

    /**
     * Records, synced, that the run is complete and its files are about to get their final names.
     * From here on a run of this job finishes the renames instead of refusing the missing {@code .part} files.
     */
    void completing() throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("completing", true);
        append(n);
        channel.force(false);
    }

    private static String line(ObjectNode n) throws IOException {
        String json = JSON.writeValueAsString(n);
        return json + "\t" + crc(json) + "\n";
    }

    /**
     * Appends one line. If the write fails (disk full), the torn line is cut off where possible and
     * nothing more is appended: the last whole checkpoint stands, and a resume would ignore a torn
     * tail anyway (its CRC fails) together with anything after it.
     */
    private void append(ObjectNode n) throws IOException {
        if (broken) {
            throw new IOException(path + ": an earlier write failed");
        }
        ByteBuffer b = ByteBuffer.wrap(line(n).getBytes(StandardCharsets.UTF_8));
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

    private static String crc(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(c.getValue());
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

    /** Finds the newest unfinished run of the job with this fingerprint in a directory. */
    static Optional<Path> findResumable(Path dir, String fingerprint, String shardSuffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, JobIdentity.journalGlob(shardSuffix))) {
            ds.forEach(candidates::add);
        }
        candidates.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        for (Path p : candidates) {
            Header h = readHeader(p);
            if (h != null && h.fingerprint().equals(fingerprint)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Lists unfinished runs of any job in a directory (for a warning when not resuming). */
    static List<Path> unfinished(Path dir, String fingerprint) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, JobIdentity.JOURNAL_GLOB)) {
            for (Path p : ds) {
                Header h = readHeader(p);
                if (h != null && h.fingerprint().equals(fingerprint)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static Header readHeader(Path p) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            JsonNode n = verified(r.readLine());
            return n == null ? null : header(n, p);
        }
    }

    private static Header header(JsonNode n, Path journal) {
        if (n.path("v").asInt() != VERSION) {
            return null;
        }
        RunFiles files = new RunFiles(n.path("stamp").asText(), Path.of(n.path("results").asText()),
                Path.of(n.path("failed").asText()), Path.of(n.path("log").asText()),
                Path.of(n.path("summary").asText()), journal);
        JsonNode in = n.path("input");
        InputIdentity input = new InputIdentity(in.path("stream").asBoolean(true), in.path("size").asLong(-1),
                in.path("mtime").asLong(-1), in.path("head_sha256").asText(""));
        return new Header(n.path("fingerprint").asText(), files, input);
    }

    private static JsonNode verified(String line) {
        if (line == null) {
            return null;
        }
        int tab = line.lastIndexOf('\t');
        if (tab < 0 || !crc(line.substring(0, tab)).equals(line.substring(tab + 1))) {
            return null;
        }
        try {
            return JSON.readTree(line.substring(0, tab));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Reads a journal, one line at a time: the last intact checkpoint whose lengths fit the files on
     * disk (a checkpoint past them means data the OS never wrote, e.g. after a power loss), and the
     * lines completed up to it. Lengths only grow along a journal (a resume cuts off what it does not
     * use), so the first checkpoint that does not fit ends the usable part. A {@code .part} file that
     * is missing counts with its final name's size: after a {@code "completing"} line it was renamed.
     */
    static State load(Path path) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            long offset = 0;
            byte[] first = readLine(in);
            JsonNode headerNode = first == null || first[first.length - 1] != '\n' ? null : verified(text(first));
            Header header = headerNode == null ? null : header(headerNode, path);
            if (header == null) {
                throw new IOException("journal " + path + " has an unreadable header (or is from another version of harvest)");
            }
            offset += first.length;
            long resultsSize = sizeOf(header.files().resultsPart(), header.files().results());
            long failedSize = sizeOf(header.files().failedPart(), header.files().failed());
            BitSet done = new BitSet();
            long valid = offset;
            long resultsLength = 0;
            long failedLength = 0;
            RunStats.Outcomes counts = RunStats.Outcomes.NONE;
            int checkpoints = 0;
            boolean completing = false;
            byte[] raw;
            while ((raw = readLine(in)) != null && raw[raw.length - 1] == '\n') {
                JsonNode n = verified(text(raw));
                if (n == null) {
                    break; // torn write: nothing after it counts
                }
                offset += raw.length;
                if (n.has("completing")) {
                    completing = true; // not a checkpoint: a resume cuts it off with valid
                    continue;
                }
                if (n.path("r").asLong() > resultsSize || n.path("f").asLong() > failedSize) {
                    break;
                }
                completing = false;
                JsonNode d = n.path("d");
                for (int k = 0; k + 1 < d.size(); k += 2) {
                    done.set(Math.toIntExact(d.get(k).asLong()), Math.toIntExact(d.get(k + 1).asLong()) + 1);
                }
                resultsLength = n.path("r").asLong();
                failedLength = n.path("f").asLong();
                counts = counts(n);
                checkpoints++;
                valid = offset;
            }
            return new State(header, resultsLength, failedLength, done, counts, valid, checkpoints, completing);
        }
    }

    private static RunStats.Outcomes counts(JsonNode n) {
        Map<FailureReason, Long> failed = new EnumMap<>(FailureReason.class);
        for (FailureReason r : FailureReason.values()) {
            long c = n.path("failed").path(r.label()).asLong(0);
            if (c > 0) {
                failed.put(r, c);
            }
        }
        // unchanged and ok_empty came after the first version: read as 0 when absent.
        return new RunStats.Outcomes(n.path("ok").asLong(), n.path("rows").asLong(), failed,
                n.path("unchanged").asLong(0), n.path("ok_empty").asLong(0));
    }

    /** One line with its '\n' (absent on a torn last line), or null at the end. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(256);
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                break;
            }
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    private static String text(byte[] line) {
        return new String(line, 0, line.length - 1, StandardCharsets.UTF_8);
    }

    private static long sizeOf(Path part, Path finalName) throws IOException {
        return Files.exists(part) ? Files.size(part) : Files.exists(finalName) ? Files.size(finalName) : 0;
    }
}
