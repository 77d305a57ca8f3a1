package dev.harvest.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Layers settings: built-in defaults &lt; config file &lt; environment ({@code HARVEST_*}) &lt; flags.
 * A single-valued setting takes the value of the highest layer; a repeatable one (headers)
 * collects the values of every layer.
 */
public final class SettingsLoader {
    private static final String HEADER_PREFIX = "header.";

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
                all.addAll(values);
                merged.put(key, List.copyOf(all));
            } else {
                merged.put(key, List.of(values.getLast()));
            }
        });
    }

    static List<Setting> fromEnv(Map<String, String> env) {
        List<Setting> out = new ArrayList<>();
        for (Option o : Options.all()) {
            String v = env.get(o.envName());
            if (v != null && !o.repeatable()) {
                out.add(new Setting(o.key(), v, o.envName()));
            }
        }
        return out;
    }

    static List<Setting> fromFile(Path file) throws ConfigException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
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
