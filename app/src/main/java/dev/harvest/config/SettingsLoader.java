package dev.harvest.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Layers settings: built-in defaults &lt; config file &lt; environment ({@code HARVEST_*}) &lt; flags.
 * A single-valued setting takes the value of the highest layer. Headers collect the values of
 * every layer, except that a header given in a higher layer replaces every header of the same
 * name (case-insensitive) from the layers below, so {@code --header 'Accept: x'} overrides
 * {@code header.Accept} in the config file instead of sending both.
 */
public final class SettingsLoader {
    private static final String HEADER_PREFIX = "header.";
    /** Largest config file read; a bigger one is certainly the wrong file (or {@code /dev/zero}). */
    static final int MAX_CONFIG_BYTES = 1 << 20;
    /**
     * {@code HARVEST_*} variables that are not settings: read by harvest or its launcher, or by the
     * build and bench scripts (which run harvest with them still set: no warning for those).
     */
    private static final Set<String> OTHER_VARIABLES = Set.of("HARVEST_SHARDS", "HARVEST_JAVA_OPTS",
            "HARVEST_BIN", "HARVEST_JAVA", "HARVEST_COMMIT", "HARVEST_APP_TARGET", "HARVEST_EXTRA_JDK_MODULES",
            "HARVEST_AOT_TRAIN_ARGS");

    private SettingsLoader() {
    }

    /**
     * Resolves the effective settings.
     *
     * @param flags settings given on the command line, in order
     * @param env   the process environment
     * @return the winning value(s) for every key that has one, keyed by option key
     * @throws ConfigException for an unknown key in the config file or an unreadable file
     */
    public static Map<String, List<Setting>> load(List<Setting> flags, Map<String, String> env)
            throws ConfigException {
        Map<String, List<Setting>> merged = new LinkedHashMap<>();
        for (Option o : Options.all()) {
            if (o.defaultValue() != null) {
                merged.put(o.key(), List.of(new Setting(o.key(), o.defaultValue(), "default")));
            }
        }
        List<Setting> fromEnv = fromEnv(env);
        String configPath = last(flags, "config");
        if (configPath == null) {
            configPath = last(fromEnv, "config");
        }
        if (configPath != null) {
            apply(merged, fromFile(Path.of(configPath)));
        }
        apply(merged, fromEnv);
        apply(merged, flags);
        return merged;
    }

    private static String last(List<Setting> settings, String key) {
        String found = null;
        for (Setting s : settings) {
            if (s.key().equals(key)) {
                found = s.value();
            }
        }
        return found;
    }

    private static void apply(Map<String, List<Setting>> merged, List<Setting> layer) {
        Map<String, List<Setting>> byKey = new LinkedHashMap<>();
        for (Setting s : layer) {
            byKey.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(s);
        }
        byKey.forEach((key, values) -> {
            Option option = Options.find(key).orElseThrow();
            if (option.repeatable()) {
                List<Setting> all = new ArrayList<>(merged.getOrDefault(key, List.of()));
                if (key.equals("header")) {
                    Set<String> replaced = new HashSet<>();
                    values.forEach(v -> replaced.add(headerName(v.value())));
                    all.removeIf(v -> replaced.contains(headerName(v.value())));
                }
                all.addAll(values);
                merged.put(key, List.copyOf(all));
            } else {
                merged.put(key, List.of(values.getLast()));
            }
        });
    }

    /** A header setting's name, lower-cased, for replacing by name; the text before the first colon. */
    private static String headerName(String text) {
        int colon = text.indexOf(':');
        return (colon < 0 ? text : text.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Settings from {@code HARVEST_*} variables. {@code HARVEST_HEADER} holds one or more headers,
     * one {@code Name: value} per line (blank lines ignored).
     */
    static List<Setting> fromEnv(Map<String, String> env) {
        List<Setting> out = new ArrayList<>();
        for (Option o : Options.all()) {
            String v = env.get(o.envName());
            if (v == null) {
                continue;
            }
            if (!o.repeatable()) {
                out.add(new Setting(o.key(), v, o.envName()));
            } else {
                v.lines().filter(line -> !line.isBlank())
                        .forEach(line -> out.add(new Setting(o.key(), line, o.envName())));
            }
        }
        return out;
    }

    /**
     * One warning per {@code HARVEST_*} variable that harvest does not know (a typo would otherwise
     * be ignored silently), with the nearest known name when there is one.
     */
    public static List<String> unknownVariables(Map<String, String> env) {
        Set<String> known = new HashSet<>(OTHER_VARIABLES);
        Options.all().forEach(o -> known.add(o.envName()));
        List<String> warnings = new ArrayList<>();
        env.keySet().stream().filter(k -> k.startsWith("HARVEST_") && !known.contains(k)).sorted().forEach(k -> {
            String key = k.substring("HARVEST_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
            warnings.add("unknown environment variable " + k + " is ignored" + Options.nearest(key)
                    .map(n -> " (did you mean " + Options.find(n).orElseThrow().envName() + "?)").orElse(""));
        });
        return warnings;
    }

    static List<Setting> fromFile(Path file) throws ConfigException {
        String text = BoundedFile.read(file, "--config " + file, MAX_CONFIG_BYTES, "1 MiB");
        Properties props = new Properties();
        try {
            props.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("--config " + file + ": not a properties file: " + e.getMessage());
        }
        String origin = file.getFileName().toString();
        List<Setting> out = new ArrayList<>();
        for (String key : props.stringPropertyNames().stream().sorted().toList()) {
            String value = props.getProperty(key).strip();
            if (key.startsWith(HEADER_PREFIX) && key.length() > HEADER_PREFIX.length()) {
                out.add(new Setting("header", key.substring(HEADER_PREFIX.length()) + ": " + value,
                        origin + ": " + key));
                continue;
            }
            Option option = Options.find(key).orElseThrow(() -> new ConfigException(
                    origin + ": unknown key '" + key + "'" + Options.nearest(key)
                            .map(n -> " (did you mean '" + n + "'?)").orElse("")));
            if (option.key().equals("config")) {
                throw new ConfigException(origin + ": 'config' cannot be set inside a config file");
            }
            out.add(new Setting(option.key(), value, origin + ": " + key));
        }
        return out;
    }
}
