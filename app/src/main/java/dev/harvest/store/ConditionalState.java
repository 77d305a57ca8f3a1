package dev.harvest.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.LastFetch;
import dev.harvest.fetch.Outcome;
import dev.harvest.fetch.UrlHash;
import dev.harvest.fetch.Validators;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The job's conditional-request state: per ID, the ETag and Last-Modified of the last good
 * response (and for a download, the file it became), so the next run can ask "changed since?".
 * One JSON Lines file per job in {@code --out} ({@link JobIdentity#validatorsFile}), keyed by
 * the job's request settings but not its input file, so a nightly input with a new name, or a
 * failed file fed back in, still finds it. Read once at the start; written atomically (temporary
 * file, sync, rename) when the run ends, merged over the previous state so IDs this run did not
 * fetch keep theirs. A lost or stale state only costs a full download: every entry is checked
 * before use ({@link LastFetch#fits}). Store thread only, apart from the read-only start state.
 */
final class ConditionalState {
    private static final Logger LOG = LogManager.getLogger(ConditionalState.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VERSION = 1;

    private final Path file;
    private final Map<String, LastFetch> previous;
    private final Map<String, LastFetch> updates = new HashMap<>();

    private ConditionalState(Path file, Map<String, LastFetch> previous) {
        this.file = file;
        this.previous = previous;
    }

    /** Reads the job's state (empty when there is none yet); unreadable lines are skipped with a warning. */
    static ConditionalState load(Path file) throws IOException {
        Map<String, LastFetch> m = new HashMap<>();
        if (Files.exists(file)) {
            int bad = 0;
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line = in.readLine();
                JsonNode header = line == null ? null : parse(line);
                if (header == null || header.path("v").asInt() != VERSION) {
                    LOG.warn("{}: not a harvest validators file of version {}; starting without validators", file, VERSION);
                    return new ConditionalState(file, Map.of());
                }
                while ((line = in.readLine()) != null) {
                    JsonNode n = parse(line);
                    if (n == null || !n.path("id").isTextual() || !n.path("url").isTextual()) {
                        bad++;
                        continue;
                    }
                    m.put(n.get("id").asText(), new LastFetch(n.get("url").asText(),
                            new Validators(text(n, "etag"), text(n, "last_modified")), text(n, "path"),
                            n.path("bytes").asLong(0), text(n, "sha256"), text(n, "content_type"),
                            n.path("mtime").asLong(0)));
                }
            }
            if (bad > 0) {
                LOG.warn("{}: {} unreadable line(s) skipped", file, bad);
            }
            LOG.info("conditional requests: {} validator(s) from the previous run ({})", m.size(), file);
        }
        return new ConditionalState(file, Map.copyOf(m));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** What the previous run got, per ID (read-only, shared with the fetchers). */
    Map<String, LastFetch> previous() {
        return previous;
    }

    /**
     * Keeps what this run got for an ID for the next run; validators that are empty forget the ID.
     *
     * @param file  the file a download became, or null when the body became rows
     * @param saved the download, or null
     */
    void remember(Outcome o, Validators v, Path file, FetchResult.Saved saved) throws IOException {
        if (o.target() == null) {
            return;
        }
        String url = UrlHash.of(o.target().uri());
        updates.put(o.id(), file == null ? new LastFetch(url, v, null, 0, null, null, 0)
                : new LastFetch(url, v, file.toAbsolutePath().normalize().toString(), saved.bytes(), saved.sha256(),
                        saved.contentType(), Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis()));
    }

    /** Writes the merged state atomically; nothing to do when nothing changed. */
    void save() throws IOException {
        if (updates.isEmpty()) {
            return;
        }
        Map<String, LastFetch> merged = new LinkedHashMap<>(previous);
        updates.forEach((id, e) -> {
            if (e.validators().isEmpty()) {
                merged.remove(id);
            } else {
                merged.put(id, e);
            }
        });
        Path tmp = JobIdentity.replacement(file);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             Writer out = new BufferedWriter(Channels.newWriter(ch, StandardCharsets.UTF_8), 1 << 16)) {
            out.write(JSON.writeValueAsString(JSON.createObjectNode().put("v", VERSION)));
            out.write('\n');
            for (Map.Entry<String, LastFetch> me : merged.entrySet()) {
                LastFetch e = me.getValue();
                ObjectNode n = JSON.createObjectNode();
                n.put("id", me.getKey());
                n.put("url", e.urlHash());
                n.put("etag", e.validators().etag());
                n.put("last_modified", e.validators().lastModified());
                if (e.path() != null) {
                    n.put("path", e.path());
                    n.put("bytes", e.bytes());
                    n.put("sha256", e.sha256());
                    n.put("content_type", e.contentType());
                    n.put("mtime", e.modifiedMillis());
                }
                out.write(JSON.writeValueAsString(n));
                out.write('\n');
            }
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LOG.info("conditional requests: {} validator(s) kept for the next run in {}", merged.size(), file);
        updates.clear();
    }
}
