package dev.harvest.config;

import java.util.List;
import java.util.Map;

/**
 * What a run tidies in {@code --out} once it has completed: {@code --keep-runs N} (delete older
 * finished runs' stamped files, keeping the newest N) and {@code --latest} (stable names that point
 * at the newest run's files, for downstream jobs). Read apart from {@link JobConfig} because neither
 * changes what the run fetches or writes.
 *
 * @param keepRuns the finished runs to keep, this one included, or 0 to keep all (the default)
 * @param latest   whether to point the {@code *-latest} links at this run's files
 */
public record Housekeeping(int keepRuns, boolean latest) {
    /** Keep everything, link nothing: what a run does unless told. */
    public static final Housekeeping NONE = new Housekeeping(0, false);

    /** Most runs {@code --keep-runs} counts; more is a typo (keeping all is the default). */
    static final int MAX_KEEP_RUNS = 100_000;

    /** Reads {@code --keep-runs} and {@code --latest}; a bad value is a usage error naming the setting. */
    public static Housekeeping from(Map<String, List<Setting>> settings) throws ConfigException {
        Setting keep = last(settings, "keep-runs");
        Setting latest = last(settings, "latest");
        int keepRuns = keep == null || keep.value().isBlank() ? 0 : Values.intIn(keep, 1, MAX_KEEP_RUNS);
        return new Housekeeping(keepRuns, latest != null && Values.bool(latest));
    }

    private static Setting last(Map<String, List<Setting>> settings, String key) {
        List<Setting> v = settings.get(key);
        return v == null || v.isEmpty() ? null : v.getLast();
    }
}
