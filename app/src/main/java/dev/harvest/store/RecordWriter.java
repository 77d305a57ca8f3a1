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
    private static final byte[] ID_KEY = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECORD_KEY = ",\"record\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final OutputFormat format;
    private final List<Field> fields;
    /** Per field: its pointer into the record, null for the input ID. */
    private final JsonPointer[] pointers;
    /** JSON Lines with --fields: per field, the bytes before its value ({@code {"name":} or {@code ,"name":}). */
    private final byte[][] keys;
    private final FieldPicker picker;
    /** Where a CSV cell holding an object or array is compacted before it is quoted. */
    private final ByteSink scratch = new ByteSink();

    RecordWriter(OutputFormat format, List<Field> fields) {
        this.format = format;
        this.fields = fields;
        this.pointers = fields.stream().map(Field::pointer).toArray(JsonPointer[]::new);
        this.keys = new byte[fields.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ((i == 0 ? "{" : ",") + JsonBytes.quoted(fields.get(i).name()) + ":").getBytes(StandardCharsets.UTF_8);
        }
        this.picker = new FieldPicker(fields.size(), format == OutputFormat.CSV);
    }

    /**
     * Renders the record at the parser's current token, consuming it. Writes straight into {@code
     * sink}: a body that fails half-way is discarded whole by the caller.
     *
     * @throws UnwritableValue when a picked value cannot be written as sent
     */
    void write(JsonParser p, byte[] body, String id, ByteSink sink) throws IOException {
        if (pointers.length == 0) { // --records without --fields: the record whole
            int start = JsonBytes.tokenStart(p);
            JsonBytes.finishValue(p);
            sink.write(ID_KEY, 0, ID_KEY.length);
            JsonBytes.writeQuoted(sink, id);
            sink.write(RECORD_KEY, 0, RECORD_KEY.length);
            CompactJson.copy(body, start, JsonBytes.valueEnd(p, body, start), sink);
            sink.write('}');
            sink.write('\n');
            return;
        }
        FieldPicker.Picked picked = picker.pick(p, body, pointers);
        if (format == OutputFormat.CSV) {
            for (int i = 0; i < pointers.length; i++) {
                if (i > 0) {
                    sink.write(',');
                }
                if (pointers[i] == null) {
                    idCell(id, sink);
                } else {
                    cell(body, picked, i, sink);
                }
            }
            sink.write('\n');
        } else {
            for (int i = 0; i < pointers.length; i++) {
                sink.write(keys[i], 0, keys[i].length);
                if (pointers[i] == null) {
                    JsonBytes.writeQuoted(sink, id);
                } else if (picked.token[i] == null) {
                    sink.write(NULL, 0, NULL.length); // nothing at the pointer
                } else {
                    CompactJson.copy(body, picked.start[i], picked.end[i], sink);
                }
            }
            sink.write('}');
            sink.write('\n');
        }
    }

    /** The input ID as a CSV cell ({@link Csv#field}). */
    private static void idCell(String id, ByteSink sink) {
        if (JsonBytes.plainAscii(id) && id.indexOf(',') < 0) {
            JsonBytes.writeAscii(sink, id);
        } else {
            JsonBytes.writeUtf8(sink, Csv.field(id));
        }
    }

    /**
     * A CSV cell ({@link Csv#field} quoting): a string's text, a number or literal as written, an
     * object or array as compact JSON; null and nothing are empty.
     */
    private void cell(byte[] body, FieldPicker.Picked picked, int i, ByteSink sink) {
        JsonToken t = picked.token[i];
        if (t == null || t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t == JsonToken.VALUE_STRING) {
            char[] text = picked.text[i];
            int n = picked.textLength[i];
            int lone = loneSurrogate(text, n);
            if (lone >= 0) {
                throw new UnwritableValue(String.format(Locale.ROOT, "the string at %s holds a lone surrogate \\u%04X,"
                        + " which a UTF-8 CSV file cannot hold", fields.get(i).pointer(), (int) text[lone]));
            }
            textCell(text, n, sink);
            return;
        }
        if (t.isScalarValue()) { // a number or literal: never a comma, quote or line break
            sink.write(body, picked.start[i], picked.end[i] - picked.start[i]);
            return;
        }
        scratch.reset();
        CompactJson.copy(body, picked.start[i], picked.end[i], scratch);
        byte[] json = scratch.array();
        int len = scratch.length();
        boolean quote = false;
        for (int k = 0; k < len && !quote; k++) {
            quote = json[k] == ',' || json[k] == '"'; // compact JSON has no raw line breaks
        }
        if (!quote) {
            sink.write(json, 0, len);
            return;
        }
        sink.write('"');
        int run = 0;
        for (int k = 0; k < len; k++) {
            if (json[k] == '"') {
                sink.write(json, run, k + 1 - run);
                run = k; // the quote again, doubled
            }
        }
        sink.write(json, run, len - run);
        sink.write('"');
    }

    /** {@code text[0, n)}, which holds no lone surrogate, in UTF-8, quoted as {@link Csv#field} would. */
    private static void textCell(char[] text, int n, ByteSink sink) {
        boolean quote = false;
        for (int k = 0; k < n && !quote; k++) {
            char c = text[k];
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (quote) {
            sink.write('"');
        }
        for (int k = 0; k < n; k++) {
            char c = text[k];
            if (c < 0x80) {
                if (c == '"' && quote) {
                    sink.write('"');
                }
                sink.write(c);
            } else if (c < 0x800) {
                sink.write(0xC0 | c >> 6);
                sink.write(0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, text[++k]);
                sink.write(0xF0 | cp >> 18);
                sink.write(0x80 | cp >> 12 & 0x3F);
                sink.write(0x80 | cp >> 6 & 0x3F);
                sink.write(0x80 | cp & 0x3F);
            } else {
                sink.write(0xE0 | c >> 12);
                sink.write(0x80 | c >> 6 & 0x3F);
                sink.write(0x80 | c & 0x3F);
            }
        }
        if (quote) {
            sink.write('"');
        }
    }

    /** The index of the first UTF-16 surrogate in {@code s[0, n)} that is not half of a pair, or -1. */
    private static int loneSurrogate(char[] s, int n) {
        for (int i = 0; i < n; i++) {
            char c = s[i];
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s[i + 1])) {
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
