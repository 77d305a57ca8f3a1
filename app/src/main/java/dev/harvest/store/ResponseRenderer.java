package dev.harvest.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.OneLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Turns one 2xx body into results-file bytes that keep the server's JSON as written. The body is
 * checked to be UTF-8 ({@link Utf8}) and one JSON value (Jackson's streaming parser, which reads
 * strings it is not asked for without decoding them); what is written is then a compact copy of
 * the body's own bytes ({@link CompactJson}), so numbers keep their text ({@code 1E2}, {@code -0},
 * {@code 0.1234567890123456789}) and strings their escapes. With a projection the body is streamed
 * to the records array and each record's picked values are located by their byte offsets as they
 * stream past: nothing becomes a tree or a double.
 * Rendering goes to a {@link ByteSink}; nothing reaches the file unless the whole body was good.
 */
final class ResponseRenderer {
    /**
     * Deeper bodies are {@code bad_json}. Every open level costs the parser an object (a body of
     * nothing but brackets would need some 50 times its size); no API nests this deep.
     */
    static final int MAX_DEPTH = 1000;

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final JsonFactory factory;
    private final OutputFormat format;
    private final Projection projection;
    /** Per field: its pointer into the record, null for the input ID. */
    private final JsonPointer[] pointers;
    /** JSON Lines with --fields: per field, the bytes before its value ({@code {"name":} or {@code ,"name":}). */
    private final byte[][] keys;
    /** Where a CSV cell holding an object or array is compacted. */
    private final ByteSink scratch = new ByteSink();

    ResponseRenderer(OutputFormat format, Projection projection) {
        // Numbers and strings are copied, never converted, so their length costs nothing beyond the
        // body's own size, which --max-body caps: only nesting is limited.
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNumberLength(Integer.MAX_VALUE)
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNameLength(Integer.MAX_VALUE)
                        .maxNestingDepth(MAX_DEPTH)
                        .build())
                .build();
        this.format = format;
        this.projection = projection;
        List<Field> fields = projection.fields();
        this.pointers = fields.stream().map(Field::pointer).toArray(JsonPointer[]::new);
        this.keys = new byte[fields.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ((i == 0 ? "{" : ",") + quoted(fields.get(i).name()) + ":").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The result of rendering: rows written to the sink, or why the body was rejected. */
    sealed interface Rendered permits Rows, Rejected {
    }

    record Rows(int count) implements Rendered {
    }

    record Rejected(FailureReason reason, String message) implements Rendered {
    }

    /** The CSV header line, or null for JSON Lines. */
    String header() {
        if (format != OutputFormat.CSV) {
            return null;
        }
        return Csv.row(projection.fields().stream().map(Field::name).toArray(String[]::new));
    }

    Rendered render(String id, int status, byte[] body, String contentType, ByteSink sink) {
        if (body.length == 0) {
            return new Rejected(FailureReason.EMPTY_BODY, "HTTP " + status + " with an empty body");
        }
        if (contentType != null && !isJson(contentType)) {
            return new Rejected(FailureReason.BAD_CONTENT_TYPE, "Content-Type is " + oneLine(contentType) + ", not JSON");
        }
        int malformed = Utf8.firstMalformed(body);
        if (malformed >= 0) {
            return new Rejected(FailureReason.BAD_JSON, body[malformed] == 0
                    ? "NUL byte at offset " + malformed + " (JSON is read as UTF-8; a UTF-16 or UTF-32 body is not)"
                    : "invalid UTF-8 at offset " + malformed);
        }
        try {
            if (projection.isNone()) {
                return writeWhole(id, status, body, sink);
            }
            return writeRows(id, body, sink);
        } catch (UnwritableValue e) {
            return new Rejected(FailureReason.BAD_JSON, e.getMessage());
        } catch (StreamConstraintsException e) {
            // the only constraint left: nesting
            return new Rejected(FailureReason.BAD_JSON, "nested deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            return new Rejected(FailureReason.BAD_JSON, oneLine(e.getOriginalMessage()) + at(e));
        } catch (IOException | RuntimeException e) {
            // Reading memory cannot fail for I/O; whatever else goes wrong stays this body's failure
            // and never stops the store (which would stall the run).
            return new Rejected(FailureReason.BAD_JSON, "body could not be read: " + oneLine(e.toString()));
        }
    }

    private static boolean isJson(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        String mime = (semi < 0 ? t : t.substring(0, semi)).strip();
        return mime.equals("application/json") || mime.endsWith("+json") || mime.equals("text/json")
                || mime.equals("text/plain") || mime.isEmpty();
    }

    /**
     * The body whole: parsed once to check it is one JSON value, then copied without whitespace.
     * A UTF-8 byte order mark, which the parser skips, is not copied.
     */
    private Rendered writeWhole(String id, int status, byte[] body, ByteSink sink) throws IOException {
        try (JsonParser p = factory.createParser(body)) {
            if (p.nextToken() == null) {
                return new Rejected(FailureReason.BAD_JSON, "no JSON value in the body");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return new Rejected(FailureReason.BAD_JSON, "unexpected data after the JSON value");
            }
        }
        writeUtf8(sink, "{\"id\":");
        writeUtf8(sink, quoted(id));
        writeUtf8(sink, ",\"status\":" + status + ",\"body\":");
        CompactJson.copy(body, startsWithBom(body) ? UTF8_BOM.length : 0, body.length, sink);
        sink.write('}');
        sink.write('\n');
        return new Rows(1);
    }

    private static boolean startsWithBom(byte[] body) {
        return body.length >= 3 && body[0] == UTF8_BOM[0] && body[1] == UTF8_BOM[1] && body[2] == UTF8_BOM[2];
    }

    /**
     * Streams the body once: each record is rendered as it streams past; everything around the
     * records is checked token by token and skipped, so a large envelope costs no allocation
     * beyond the parser's.
     */
    private Rendered writeRows(String id, byte[] body, ByteSink sink) throws IOException {
        try (JsonParser p = factory.createParser(body)) {
            if (p.nextToken() == null) {
                return new Rejected(FailureReason.BAD_JSON, "no JSON value in the body");
            }
            Rendered rendered;
            if (projection.records() == null) {
                writeRecord(p, body, id, sink);
                rendered = new Rows(1);
            } else {
                rendered = switch (descend(p, body, projection.records(), id, sink)) {
                    case Found.Array a -> new Rows(a.count());
                    case Found.Duplicate d -> new Rejected(FailureReason.BAD_JSON,
                            "field '" + d.name() + "' appears twice on the way to " + projection.records());
                    case Found.Other o -> new Rejected(FailureReason.NO_RECORDS, "no array at " + projection.records()
                            + (o.type() == null ? "" : " (found " + o.type() + ")"));
                };
            }
            // A duplicate stops the walk early; anything else has consumed the whole value.
            if (!(rendered instanceof Rejected r && r.reason() == FailureReason.BAD_JSON) && p.nextToken() != null) {
                return new Rejected(FailureReason.BAD_JSON, "unexpected data after the JSON value");
            }
            return rendered;
        }
    }

    /** What {@link #descend} found at the records pointer. */
    private sealed interface Found {
        /** The array, whose {@code count} records were rendered. */
        record Array(int count) implements Found {
        }

        /** Something else, or nothing ({@code type} null). */
        record Other(String type) implements Found {
        }

        /** A field on the pointer's path occurs twice in one object: which one is meant is unknowable. */
        record Duplicate(String name) implements Found {
        }
    }

    private static final Found MISSING = new Found.Other(null);

    /**
     * Consumes the value at the parser's current token, rendering the records if {@code pointer}
     * (relative to this value) leads to an array. Resolves like Jackson's {@code JsonNode.at}: a
     * segment names an object's field or an array's index.
     */
    private Found descend(JsonParser p, byte[] body, JsonPointer pointer, String id, ByteSink sink) throws IOException {
        JsonToken t = p.currentToken();
        if (pointer.matches()) {
            if (t != JsonToken.START_ARRAY) {
                p.skipChildren();
                return new Found.Other(typeOf(t));
            }
            int count = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                writeRecord(p, body, id, sink);
                count++;
            }
            return new Found.Array(count);
        }
        Found found = MISSING;
        if (t == JsonToken.START_OBJECT) {
            String name = pointer.getMatchingProperty();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean match = name.equals(p.currentName());
                p.nextToken();
                if (!match) {
                    p.skipChildren();
                } else if (found != MISSING) {
                    return new Found.Duplicate(name);
                } else {
                    found = descend(p, body, pointer.tail(), id, sink);
                    if (found instanceof Found.Duplicate) {
                        return found;
                    }
                }
            }
        } else if (t == JsonToken.START_ARRAY) {
            int index = pointer.getMatchingIndex();
            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                if (i == index) {
                    found = descend(p, body, pointer.tail(), id, sink);
                    if (found instanceof Found.Duplicate) {
                        return found;
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return found;
    }

    private static String typeOf(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "object";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    /** Renders the record at the parser's current token, consuming it. */
    private void writeRecord(JsonParser p, byte[] body, String id, ByteSink sink) throws IOException {
        if (pointers.length == 0) { // --records without --fields: the record whole
            int start = tokenStart(p);
            finishValue(p);
            writeUtf8(sink, "{\"id\":");
            writeUtf8(sink, quoted(id));
            writeUtf8(sink, ",\"record\":");
            CompactJson.copy(body, start, valueEnd(p), sink);
            sink.write('}');
            sink.write('\n');
            return;
        }
        Picked picked = new Picked(pointers.length);
        pick(p, pointers, picked);
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
                    writeUtf8(sink, quoted(id));
                } else if (picked.token[i] == null) {
                    writeUtf8(sink, "null"); // nothing at the pointer
                } else {
                    CompactJson.copy(body, picked.start[i], picked.end[i], sink);
                }
            }
            sink.write('}');
            sink.write('\n');
        }
    }

    /** The values the fields point to in one record: a token and its bytes' range, per field. */
    private static final class Picked {
        final JsonToken[] token;
        final int[] start;
        final int[] end;
        /** CSV: a string's decoded text. */
        final String[] text;

        Picked(int n) {
            token = new JsonToken[n];
            start = new int[n];
            end = new int[n];
            text = new String[n];
        }
    }

    /**
     * Consumes the value at the parser's current token, noting the values that {@code at} (per
     * field: its pointer relative to this value, or null when it does not pass here) points to.
     * Follows only the fields' paths and skips the rest. A field name that occurs twice is read
     * as the last one, as a tree would have it.
     */
    private void pick(JsonParser p, JsonPointer[] at, Picked picked) throws IOException {
        JsonToken t = p.currentToken();
        boolean here = false;
        boolean deeper = false;
        for (JsonPointer ptr : at) {
            if (ptr != null) {
                here |= ptr.matches();
                deeper |= !ptr.matches();
            }
        }
        int start = here ? tokenStart(p) : -1;
        String text = null;
        if (deeper && t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                JsonPointer[] next = null;
                for (int i = 0; i < at.length; i++) {
                    if (at[i] != null && !at[i].matches() && name.equals(at[i].getMatchingProperty())) {
                        next = next == null ? new JsonPointer[at.length] : next;
                        next[i] = at[i].tail();
                        picked.token[i] = null; // a later duplicate replaces what an earlier one gave
                    }
                }
                if (next == null) {
                    p.skipChildren();
                } else {
                    pick(p, next, picked);
                }
            }
        } else if (deeper && t == JsonToken.START_ARRAY) {
            for (int index = 0; p.nextToken() != JsonToken.END_ARRAY; index++) {
                JsonPointer[] next = null;
                for (int i = 0; i < at.length; i++) {
                    if (at[i] != null && !at[i].matches() && at[i].getMatchingIndex() == index) {
                        next = next == null ? new JsonPointer[at.length] : next;
                        next[i] = at[i].tail();
                    }
                }
                if (next == null) {
                    p.skipChildren();
                } else {
                    pick(p, next, picked);
                }
            }
        } else if (here && t == JsonToken.VALUE_STRING && format == OutputFormat.CSV) {
            text = p.getText();
        } else {
            finishValue(p);
        }
        if (here) {
            int end = valueEnd(p);
            for (int i = 0; i < at.length; i++) {
                if (at[i] != null && at[i].matches()) {
                    picked.token[i] = t;
                    picked.start[i] = start;
                    picked.end[i] = end;
                    picked.text[i] = text;
                }
            }
        }
    }

    /** A CSV cell: a string's text, a number or literal as written, an object or array as compact JSON; null and nothing are empty. */
    private String cell(byte[] body, Picked picked, int i) {
        JsonToken t = picked.token[i];
        if (t == null || t == JsonToken.VALUE_NULL) {
            return "";
        }
        if (t == JsonToken.VALUE_STRING) {
            String text = picked.text[i];
            int lone = loneSurrogate(text);
            if (lone >= 0) {
                throw new UnwritableValue(String.format(Locale.ROOT, "the string at %s holds a lone surrogate \\u%04X,"
                        + " which a UTF-8 CSV file cannot hold", projection.fields().get(i).pointer(), (int) text.charAt(lone)));
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
    private static final class UnwritableValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnwritableValue(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads the rest of the value at the current token (a string's contents are read lazily). */
    private static void finishValue(JsonParser p) throws IOException {
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
    }

    /** Where the current token starts in the body. */
    private static int tokenStart(JsonParser p) {
        return (int) p.currentTokenLocation().getByteOffset();
    }

    /** Where the value just finished ends in the body (a root-level number may take one whitespace byte after it). */
    private static int valueEnd(JsonParser p) {
        return (int) p.currentLocation().getByteOffset();
    }

    private static String quoted(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    private static void writeUtf8(ByteSink sink, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sink.write(b, 0, b.length);
    }

    private static String at(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        return where == null || where.getByteOffset() < 0 ? "" : " (at offset " + where.getByteOffset() + ")";
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "invalid JSON";
        }
        return OneLine.of(s, 200);
    }
}
