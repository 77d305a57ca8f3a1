package dev.harvest.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Looks up the layered settings of one job with the context its parsers need for messages. */
record SettingReader(Map<String, List<Setting>> settings) {

    /** The winning setting of {@code key}, or null when it has none (not even a default). */
    Setting get(String key) {
        List<Setting> v = settings.get(key);
        return v == null || v.isEmpty() ? null : v.getLast();
    }

    /** Every value given for a repeatable key, in order. */
    List<Setting> all(String key) {
        return settings.getOrDefault(key, List.of());
    }

    /** The stripped value, or null when unset or blank. */
    String value(String key) {
        Setting s = get(key);
        return s == null || s.value().isBlank() ? null : s.value().strip();
    }

    Path path(String key) {
        String v = value(key);
        return v == null ? null : Path.of(v);
    }

    Setting required(String key, String message) throws ConfigException {
        Setting s = get(key);
        if (s == null || s.value().isBlank()) {
            throw new ConfigException(message);
        }
        return s;
    }
}
