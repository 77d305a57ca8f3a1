package dev.harvest.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The effective settings as an operator reads them in the summary's {@code config} object and the
 * log's "effective config" line: one key per option (its flag name in snake_case), each value in
 * the form the flag accepts ({@code 30s}, {@code 16MiB}) and typed (numbers as numbers, switches as
 * booleans, an unset option as null), secrets already redacted. Pasting a value back into its flag
 * gives the same setting.
 *
 * @param values option name (snake_case) to value: String, Number, Boolean, a List of Strings or null
 */
public record EffectiveConfig(Map<String, Object> values) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public EffectiveConfig {
        // Not Map.copyOf: an unset option is a null value, and the order is the help's order.
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The settings as a JSON object. */
    public ObjectNode toJson() {
        return JSON.valueToTree(values);
    }

    /** One line of compact JSON: the log's "effective config" line. */
    @Override
    public String toString() {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the effective config", e);
        }
    }

    /** A duration as {@code --timeout} accepts it: {@code 1h}, {@code 5m}, {@code 30s}, {@code 250ms}. */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** A size as {@code --max-body} accepts it: {@code 1GiB}, {@code 16MiB}, {@code 512KiB}, or bytes. */
    public static String size(long bytes) {
        // No TiB: the flags take k, m and g units only (1 TiB is 1024GiB).
        for (int shift = 30; shift >= 10; shift -= 10) {
            long unit = 1L << shift;
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + switch (shift) {
                    case 30 -> "GiB";
                    case 20 -> "MiB";
                    default -> "KiB";
                };
            }
        }
        return Long.toString(bytes);
    }
}
