package dev.harvest.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Writes one record as a results row: with {@code --fields}, the picked values ({@link
 * FieldPicker}) as a CSV row or a JSON Lines object; without, the record whole with its ID.
 * Values keep the body's own bytes ({@link CompactJson}).
 */
final class RecordWriter {
    private final OutputFormat format;
    private final List<Field> fields;
    /** Per field: its pointer into the record, null for the input ID. */
    private final JsonPointer[] pointers;
    /** JSON Lines with --fields: per field, the bytes before its value ({@code {"name":} or {@code ,"name":}). */
    private final byte[][] keys;
    private final FieldPicker picker;
    /** Where a CSV cell holding an object or array is compacted. */
    private final ByteSink scratch = new ByteSink();

    RecordWriter(OutputFormat format, List<Field> fields) {
        this.format = format;
        this.fields = fields;
        this.pointers = fields.stream().map(Field::pointer).toArray(JsonPointer[]::new);
        this.keys = new byte[fields.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ((i == 0 ? "{" : ",") + JsonBytes.quoted(fields.get(i).name()) + ":").getBytes(StandardCharsets.UTF_8);
        }
        this.picker = new FieldPicker(format == OutputFormat.CSV);
    }

    /**
     * Renders the record at the parser's current token, consuming it.
     *
     * @throws UnwritableValue when a picked value cannot be written as sent
     */
    void write(JsonParser p, byte[] body, String id, ByteSink sink) throws IOException {
        if (pointers.length == 0) { // --records without --fields: the record whole
            int start = JsonBytes.tokenStart(p);
            JsonBytes.finishValue(p);
            JsonBytes.writeUtf8(sink, "{\"id\":");
            JsonBytes.writeUtf8(sink, JsonBytes.quoted(id));
            JsonBytes.writeUtf8(sink, ",\"record\":");
            CompactJson.copy(body, start, JsonBytes.valueEnd(p), sink);
            sink.write('}');
            sink.write('\n');
            return;
        }
        FieldPicker.Picked picked = picker.pick(p, pointers);
        if (format == OutputFormat.CSV) {
            String[] cells = new String[pointers.length];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = pointers[i] == null ? id : cell(body, picked, i);
            }
            byte[] line = Csv.row(cells).getBytes(StandardCharsets.UTF_8);
            sink.write(line, 0, line.length);
        } else {
            for (int i = 0; i < pointers.length; i++) {
                sink.write(keys[i], 0, keys[i].length);
                if (pointers[i] == null) {
                    JsonBytes.writeUtf8(sink, JsonBytes.quoted(id));
                } else if (picked.token[i] == null) {
                    JsonBytes.writeUtf8(sink, "null"); // nothing at the pointer
                } else {
                    CompactJson.copy(body, picked.start[i], picked.end[i], sink);
                }
            }
            sink.write('}');
            sink.write('\n');
        }
    }

    /** A CSV cell: a string's text, a number or literal as written, an object or array as compact JSON; null and nothing are empty. */
    private String cell(byte[] body, FieldPicker.Picked picked, int i) {
        JsonToken t = picked.token[i];
        if (t == null || t == JsonToken.VALUE_NULL) {
            return "";
        }
        if (t == JsonToken.VALUE_STRING) {
            String text = picked.text[i];
            int lone = loneSurrogate(text);
            if (lone >= 0) {
                throw new UnwritableValue(String.format(Locale.ROOT, "the string at %s holds a lone surrogate \\u%04X,"
                        + " which a UTF-8 CSV file cannot hold", fields.get(i).pointer(), (int) text.charAt(lone)));
            }
            return text;
        }
        scratch.reset();
        CompactJson.copy(body, picked.start[i], picked.end[i], scratch);
        return new String(scratch.array(), 0, scratch.length(), StandardCharsets.UTF_8);
    }

    /** The index of the first UTF-16 surrogate in {@code s} that is not half of a pair, or -1. */
    private static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A picked value that the output cannot hold as sent: a string escape naming half a surrogate
     * pair ({@code "\ud800"}) is valid JSON, and JSON Lines keep the escape, but in a CSV cell it
     * would have to be replaced; the body is rejected instead of changed.
     */
    static final class UnwritableValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnwritableValue(String message) {
            super(message, null, false, false);
        }
    }
}
