package dev.harvest.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harvest.fetch.FailureReason;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The store stage's write-ahead record of what is safely in the output files. Each checkpoint line
 * holds the results and failed files' lengths, the input lines completed since the previous
 * checkpoint, and running counts, followed by a CRC. A resumed run cuts the {@code .part} files
 * back to the last checkpoint that is intact and fits the files on disk, and skips exactly the
 * lines it lists, so nothing is lost or written twice whatever moment the process died.
 */
public final class Journal implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int VERSION = 1;

    private final Path path;
    private final FileChannel channel;
    private long length;
    private boolean broken;

    private Journal(Path path, FileChannel channel, long length) {
        this.path = path;
        this.channel = channel;
        this.length = length;
    }

    /** What a journal says about an interrupted run. */
    public record State(Header header, long resultsLength, long failedLength, BitSet done, long ok, long rows,
                 Map<FailureReason, Long> failed, long unchanged, long okEmpty, long validJournalLength) {
    }

    /**
     * The journal's first line: which job it belongs to and where its files are.
     *
     * @param fingerprint hash of the settings that must match for a resume
     * @param files       the run's files
     */
    public record Header(String fingerprint, RunFiles files) {
    }

    static Journal create(Path path, Header header) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Journal j = new Journal(path, ch, 0);
        ObjectNode n = JSON.createObjectNode();
        n.put("v", VERSION);
        n.put("fingerprint", header.fingerprint());
        RunFiles f = header.files();
        n.put("stamp", f.stamp());
        n.put("results", f.results().toString());
        n.put("failed", f.failed().toString());
        n.put("log", f.log().toString());
        n.put("summary", f.summary().toString());
        j.append(n);
        return j;
    }

    /** Reopens a journal for appending after {@link #load}, dropping any torn or unusable tail. */
    static Journal reopen(State state) throws IOException {
        Path p = state.header().files().journal();
        FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE);
        ch.truncate(state.validJournalLength());
        ch.position(state.validJournalLength());
        return new Journal(p, ch, state.validJournalLength());
    }

    void checkpoint(long resultsLength, long failedLength, long[] lines, int count, long ok, long rows,
                    Map<FailureReason, Long> failed, long unchanged, long okEmpty) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("r", resultsLength);
        n.put("f", failedLength);
        var d = n.putArray("d");
        java.util.Arrays.sort(lines, 0, count);
        for (int i = 0; i < count; ) {
            long start = lines[i];
            long end = start;
            i++;
            while (i < count && lines[i] == end + 1) {
                end = lines[i++];
            }
            d.add(start);
            d.add(end);
        }
        n.put("ok", ok);
        n.put("rows", rows);
        // Added after version 1 shipped; a journal without them reads them as 0.
        n.put("unchanged", unchanged);
        n.put("ok_empty", okEmpty);
        ObjectNode fc = n.putObject("failed");
        failed.forEach((r, c) -> fc.put(r.label(), c));
        append(n);
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
        String json = JSON.writeValueAsString(n);
        ByteBuffer b = ByteBuffer.wrap((json + "\t" + crc(json) + "\n").getBytes(StandardCharsets.UTF_8));
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
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".harvest-*" + shardSuffix + ".journal")) {
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
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".harvest-*.journal")) {
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
        return new Header(n.path("fingerprint").asText(), files);
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
     * Reads a journal: the last intact checkpoint whose lengths fit the {@code .part} files on disk
     * (a checkpoint past them means data the OS never wrote, e.g. after a power loss), and the lines
     * completed up to it.
     */
    static State load(Path path) throws IOException {
        byte[] all = Files.readAllBytes(path);
        List<long[]> spans = new ArrayList<>(); // [start offset, end offset] of each intact line
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                spans.add(new long[] {start, i + 1});
                start = i + 1;
            }
        }
        if (spans.isEmpty()) {
            throw new IOException("journal " + path + " has no header");
        }
        JsonNode first = verified(line(all, spans.getFirst()));
        Header header = first == null ? null : header(first, path);
        if (header == null) {
            throw new IOException("journal " + path + " has an unreadable header");
        }
        long resultsSize = sizeOr0(header.files().resultsPart());
        long failedSize = sizeOr0(header.files().failedPart());
        List<JsonNode> checkpoints = new ArrayList<>();
        long valid = spans.getFirst()[1];
        int usable = 0;
        for (int i = 1; i < spans.size(); i++) {
            JsonNode n = verified(line(all, spans.get(i)));
            if (n == null) {
                break; // torn write: nothing after it counts
            }
            checkpoints.add(n);
            if (n.path("r").asLong() <= resultsSize && n.path("f").asLong() <= failedSize) {
                usable = checkpoints.size();
                valid = spans.get(i)[1];
            }
        }
        BitSet done = new BitSet();
        long resultsLength = 0;
        long failedLength = 0;
        long ok = 0;
        long rows = 0;
        long unchanged = 0;
        long okEmpty = 0;
        Map<FailureReason, Long> failed = new EnumMap<>(FailureReason.class);
        for (int i = 0; i < usable; i++) {
            JsonNode n = checkpoints.get(i);
            JsonNode d = n.path("d");
            for (int k = 0; k + 1 < d.size(); k += 2) {
                done.set(Math.toIntExact(d.get(k).asLong()), Math.toIntExact(d.get(k + 1).asLong()) + 1);
            }
            if (i == usable - 1) {
                resultsLength = n.path("r").asLong();
                failedLength = n.path("f").asLong();
                ok = n.path("ok").asLong();
                rows = n.path("rows").asLong();
                unchanged = n.path("unchanged").asLong(0);
                okEmpty = n.path("ok_empty").asLong(0);
                for (FailureReason r : FailureReason.values()) {
                    long c = n.path("failed").path(r.label()).asLong(0);
                    if (c > 0) {
                        failed.put(r, c);
                    }
                }
            }
        }
        return new State(header, resultsLength, failedLength, done, ok, rows, failed, unchanged, okEmpty, valid);
    }

    private static String line(byte[] all, long[] span) {
        return new String(all, (int) span[0], (int) (span[1] - span[0] - 1), StandardCharsets.UTF_8);
    }

    private static long sizeOr0(Path p) throws IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }
}
