package dev.harvest.store;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a response becomes output rows: optionally the array at {@code records} (one row per
 * element), and optionally the {@code fields} to pick from each.
 *
 * @param records the array to explode, or {@code null} for one row per response
 * @param fields  the columns, empty for "the whole record"
 */
public record Projection(JsonPointer records, List<Field> fields) {

    public Projection {
        fields = List.copyOf(fields);
    }

    /** No projection: the whole body, one line per response. */
    public static Projection none() {
        return new Projection(null, List.of());
    }

    /** Whether this projection keeps responses whole. */
    public boolean isNone() {
        return records == null && fields.isEmpty();
    }

    /**
     * Parses {@code --records} and {@code --fields}.
     *
     * @param records a JSON Pointer, or null
     * @param fields  {@code name=/pointer} or {@code name={id}}, comma-separated, or null
     */
    public static Projection parse(String records, String fields) {
        JsonPointer recordsPointer = null;
        if (records != null && !records.isBlank()) {
            recordsPointer = pointer("--records", records.strip());
        }
        List<Field> parsed = new ArrayList<>();
        if (fields != null && !fields.isBlank()) {
            Set<String> names = new HashSet<>();
            for (String part : fields.split(",")) {
                String spec = part.strip();
                int eq = spec.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--fields: expected name=/pointer or name={id}, got '" + spec + "'");
                }
                String name = spec.substring(0, eq).strip();
                String source = spec.substring(eq + 1).strip();
                if (!names.add(name)) {
                    throw new IllegalArgumentException("--fields: column '" + name + "' is given twice");
                }
                parsed.add(new Field(name, source.equals("{id}") ? null : pointer("--fields " + name, source)));
            }
        }
        return new Projection(recordsPointer, parsed);
    }

    private static JsonPointer pointer(String what, String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException(what + ": a JSON Pointer starts with '/' (or use {id}): '" + text + "'");
        }
        try {
            return JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": invalid JSON Pointer '" + text + "': " + e.getMessage());
        }
    }
}
