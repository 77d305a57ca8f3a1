package dev.harvest.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harvest.report.RunCounts;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * Reading journals back ({@link Journal} writes them): finding a job's unfinished runs in an
 * output directory, and replaying one to the state a resume continues from. A line at a time, so
 * a long job's journal needs little memory.
 */
final class JournalReader {
    private JournalReader() {
    }

    /** Finds the newest unfinished run of this job (its shard's) in a directory. */
    static Optional<Path> findResumable(Path dir, JobIdentity job) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, job.journalGlob())) {
            ds.forEach(candidates::add);
        }
        candidates.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        for (Path p : candidates) {
            JournalHeader h = readHeader(p);
            if (h != null && h.fingerprint().equals(job.resume())) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Lists the unfinished runs of this job in a directory (for a warning when not resuming). */
    static List<Path> unfinished(Path dir, JobIdentity job) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, JobIdentity.JOURNAL_GLOB)) {
            for (Path p : ds) {
                JournalHeader h = readHeader(p);
                if (h != null && h.fingerprint().equals(job.resume())) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static JournalHeader readHeader(Path p) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            JsonNode n = JournalLines.verified(r.readLine());
            return n == null ? null : JournalLines.header(n, p);
        }
    }

    /**
     * Reads a journal, one line at a time: the last intact checkpoint whose lengths fit the files on
     * disk (a checkpoint past them means data the OS never wrote, e.g. after a power loss), and the
     * lines completed up to it. Lengths only grow along a journal (a resume cuts off what it does not
     * use), so the first checkpoint that does not fit ends the usable part. A {@code .part} file that
     * is missing counts with its final name's size: after a {@code "completing"} line it was renamed.
     */
    static JournalState load(Path path) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            long offset = 0;
            byte[] first = readLine(in);
            JsonNode headerNode = first == null || first[first.length - 1] != '\n' ? null
                    : JournalLines.verified(text(first));
            JournalHeader header = headerNode == null ? null : JournalLines.header(headerNode, path);
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
            RunCounts counts = RunCounts.NONE;
            int checkpoints = 0;
            boolean completing = false;
            byte[] raw;
            while ((raw = readLine(in)) != null && raw[raw.length - 1] == '\n') {
                JsonNode n = JournalLines.verified(text(raw));
                if (n == null) {
                    break; // torn write: nothing after it counts
                }
                offset += raw.length;
                if (JournalLines.isCompleting(n)) {
                    completing = true; // not a checkpoint: a resume cuts it off with valid
                    continue;
                }
                if (JournalLines.resultsLength(n) > resultsSize || JournalLines.failedLength(n) > failedSize) {
                    break;
                }
                completing = false;
                JournalLines.addDone(n, done);
                resultsLength = JournalLines.resultsLength(n);
                failedLength = JournalLines.failedLength(n);
                counts = JournalLines.counts(n);
                checkpoints++;
                valid = offset;
            }
            return new JournalState(header, resultsLength, failedLength, done, counts, valid, checkpoints, completing);
        }
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
