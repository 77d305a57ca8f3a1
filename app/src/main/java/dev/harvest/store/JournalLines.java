package dev.harvest.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harvest.fetch.FailureReason;
import dev.harvest.report.RunCounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The journal's line format, both ways: a JSON object, a tab and the CRC-32 of the JSON, so a line
 * torn by a kill or a full disk is recognised and ignored. Lines are the header ({@link
 * JournalHeader}), checkpoints (file lengths, running counts, completed input lines as
 * {@code [first, last]} ranges in {@code "d"}) and the {@code "completing"} marker.
 */
final class JournalLines {
    /** Raised only when a line's meaning changes: a journal of another version is not resumed. */
    static final int VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private JournalLines() {
    }

    static String header(JournalHeader header) throws IOException {
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
        return line(n);
    }

    /**
     * A checkpoint line.
     *
     * @param lines the completed input lines to list, sorted, in {@code lines[0..count)}
     */
    static String checkpoint(long resultsLength, long failedLength, RunCounts counts, long[] lines, int count)
            throws IOException {
        ObjectNode n = checkpointNode(resultsLength, failedLength, counts);
        ArrayNode d = n.putArray("d");
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
        return line(n);
    }

    /** A checkpoint line listing every line set in {@code done}: what a compaction writes. */
    static String checkpoint(long resultsLength, long failedLength, RunCounts counts, BitSet done)
            throws IOException {
        ObjectNode n = checkpointNode(resultsLength, failedLength, counts);
        ArrayNode d = n.putArray("d");
        for (int a = done.nextSetBit(0); a >= 0; ) {
            int b = done.nextClearBit(a);
            d.add(a);
            d.add(b - 1);
            a = done.nextSetBit(b);
        }
        return line(n);
    }

    static String completing() throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("completing", true);
        return line(n);
    }

    private static ObjectNode checkpointNode(long resultsLength, long failedLength, RunCounts counts) {
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

    private static String line(ObjectNode n) throws IOException {
        String json = JSON.writeValueAsString(n);
        return json + "\t" + crc(json) + "\n";
    }

    /** A line's JSON when its CRC holds (without its '\n'), else null. */
    static JsonNode verified(String line) {
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

    /** The header a verified first line holds, or null when it is of another version. */
    static JournalHeader header(JsonNode n, Path journal) {
        if (n.path("v").asInt() != VERSION) {
            return null;
        }
        RunFiles files = new RunFiles(n.path("stamp").asText(), Path.of(n.path("results").asText()),
                Path.of(n.path("failed").asText()), Path.of(n.path("log").asText()),
                Path.of(n.path("summary").asText()), journal);
        JsonNode in = n.path("input");
        InputIdentity input = new InputIdentity(in.path("stream").asBoolean(true), in.path("size").asLong(-1),
                in.path("mtime").asLong(-1), in.path("head_sha256").asText(""));
        return new JournalHeader(n.path("fingerprint").asText(), files, input);
    }

    static boolean isCompleting(JsonNode n) {
        return n.has("completing");
    }

    static long resultsLength(JsonNode checkpoint) {
        return checkpoint.path("r").asLong();
    }

    static long failedLength(JsonNode checkpoint) {
        return checkpoint.path("f").asLong();
    }

    /** Marks the lines a checkpoint lists in {@code done}. */
    static void addDone(JsonNode checkpoint, BitSet done) {
        JsonNode d = checkpoint.path("d");
        for (int k = 0; k + 1 < d.size(); k += 2) {
            done.set(Math.toIntExact(d.get(k).asLong()), Math.toIntExact(d.get(k + 1).asLong()) + 1);
        }
    }

    /** A checkpoint's outcome counts. */
    static RunCounts counts(JsonNode checkpoint) {
        Map<FailureReason, Long> failed = new EnumMap<>(FailureReason.class);
        for (FailureReason r : FailureReason.values()) {
            long c = checkpoint.path("failed").path(r.label()).asLong(0);
            if (c > 0) {
                failed.put(r, c);
            }
        }
        // unchanged and ok_empty came after the first version: read as 0 when absent.
        return RunCounts.outcomes(checkpoint.path("ok").asLong(), checkpoint.path("rows").asLong(), failed,
                checkpoint.path("unchanged").asLong(0), checkpoint.path("ok_empty").asLong(0));
    }

    private static String crc(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(c.getValue());
    }
}
