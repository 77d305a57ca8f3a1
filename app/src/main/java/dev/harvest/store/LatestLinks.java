package dev.harvest.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --latest}: stable names in {@code --out} that point at the newest completed run's files,
 * for a downstream job that cannot know the stamp: {@code results-latest.jsonl} (or {@code .csv}),
 * {@code failed-latest.csv} and {@code summary-latest.json}, each with the shard suffix when
 * sharded. Each is a relative symlink made under a temporary name and renamed over the old one,
 * so a reader sees the previous run's file or this one's, never a missing or half-made name.
 */
public final class LatestLinks {
    private LatestLinks() {
    }

    /**
     * Points the links at this run's files (those that are files in {@code outDir}).
     *
     * @param outDir   the output directory
     * @param files    this run's files (final names)
     * @param shardTag the shard suffix of the file names, empty when not sharded
     * @return the links written
     */
    public static List<Path> point(Path outDir, RunFiles files, String shardTag) throws IOException {
        List<Path> written = new ArrayList<>();
        String ext = extension(files.results());
        for (var link : List.of(
                new String[] {"results-latest" + shardTag + ext, files.resultsToStdout() ? null : files.results().toString()},
                new String[] {"failed-latest" + shardTag + ".csv", files.failed().toString()},
                new String[] {"summary-latest" + shardTag + ".json", files.summary().toString()})) {
            if (link[1] == null || !Files.isRegularFile(Path.of(link[1]))) {
                continue;
            }
            Path target = Path.of(link[1]).toAbsolutePath().normalize();
            Path dir = outDir.toAbsolutePath().normalize();
            // Relative when the file is in --out, so the directory can be moved or mounted elsewhere.
            Path pointTo = dir.equals(target.getParent()) ? target.getFileName() : target;
            Path name = outDir.resolve(link[0]);
            Path temp = outDir.resolve("." + link[0] + "." + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(temp);
            Files.createSymbolicLink(temp, pointTo);
            try {
                // rename(2): atomic, replaces the old link.
                Files.move(temp, name, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            written.add(name);
        }
        return written;
    }

    private static String extension(Path results) {
        String name = results.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot) : "";
    }
}
