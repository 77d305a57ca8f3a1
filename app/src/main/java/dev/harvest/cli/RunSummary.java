package dev.harvest.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.harvest.config.ConfigException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code harvest verify} needs from a run's summary file: whether the run ended, and how many
 * IDs succeeded with no records (those leave no row in the results, so only the summary can vouch
 * for them).
 *
 * @param file             the summary file
 * @param finished         whether the run had ended when it was written (a heartbeat has not)
 * @param okWithoutRecords IDs that succeeded with an empty --records array
 */
record RunSummary(Path file, boolean finished, long okWithoutRecords) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads a summary file given with --summary. */
    static RunSummary read(Path file) throws ConfigException {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.has("ok_without_records")) {
                throw new ConfigException("--summary " + file + ": not a harvest summary file");
            }
            return new RunSummary(file, !n.path("running").asBoolean(false) && !n.path("exit_code").isNull(),
                    n.get("ok_without_records").asLong());
        } catch (IOException e) {
            throw new ConfigException("--summary " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    /**
     * Finds the summary of the run that wrote {@code results}: a {@code summary-*.json} in the same
     * directory whose {@code files.results} names that file.
     */
    static Optional<RunSummary> find(Path results) {
        Path dir = results.toAbsolutePath().getParent();
        if (dir == null) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(dir, "summary-*.json")) {
            for (Path candidate : candidates) {
                JsonNode n;
                try {
                    n = JSON.readTree(candidate.toFile());
                } catch (IOException e) {
                    continue;
                }
                String named = n == null ? "" : n.path("files").path("results").asText("");
                if (!named.isEmpty() && sameFile(Path.of(named), results)) {
                    return Optional.of(read(candidate));
                }
            }
        } catch (IOException | ConfigException e) {
            // No readable summary: verify goes on without one and says so.
        }
        return Optional.empty();
    }

    private static boolean sameFile(Path named, Path results) {
        try {
            if (Files.exists(named) && Files.isSameFile(named, results)) {
                return true;
            }
        } catch (IOException e) {
            // fall back to comparing names
        }
        // The summary may name the file relative to the run's working directory.
        return named.getFileName() != null && named.getFileName().equals(results.getFileName());
    }
}
