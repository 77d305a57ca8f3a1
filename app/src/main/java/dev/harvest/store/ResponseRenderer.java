package dev.harvest.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.harvest.fetch.FailureReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Turns one 2xx body into results-file bytes with Jackson: without a projection the body is
 * validated and copied compactly token by token; with one, the body is streamed to the records
 * array and each record is exploded into a row (only records become trees).
 * Rendering goes to a {@link ByteSink}; nothing reaches the file unless the whole body was good.
 */
final class ResponseRenderer {
    private final JsonFactory factory;
    private final ObjectMapper mapper;
    private final OutputFormat format;
    private final Projection projection;

    ResponseRenderer(OutputFormat format, Projection projection) {
        this.mapper = JsonMapper.builder()
                // Keep numbers as written: 0.91 stays 0.91 in CSV, never 0.9100000000000001.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build();
        this.factory = mapper.getFactory();
        this.format = format;
        this.projection = projection;
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
            if (status == 204 && projection.isNone()) {
                return writeWhole(id, status, null, sink);
            }
            return new Rejected(FailureReason.EMPTY_BODY, "HTTP " + status + " with an empty body");
        }
        if (contentType != null && !isJson(contentType)) {
            return new Rejected(FailureReason.BAD_CONTENT_TYPE, "Content-Type is " + oneLine(contentType) + ", not JSON");
        }
        try {
            if (projection.isNone()) {
                return writeWhole(id, status, body, sink);
            }
            return writeRows(id, body, sink);
        } catch (IOException e) {
            return new Rejected(FailureReason.BAD_JSON, oneLine(e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static boolean isJson(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        String mime = (semi < 0 ? t : t.substring(0, semi)).strip();
        return mime.equals("application/json") || mime.endsWith("+json") || mime.equals("text/json")
                || mime.equals("text/plain") || mime.isEmpty();
    }

    private Rendered writeWhole(String id, int status, byte[] body, ByteSink sink) {
        try (JsonGenerator g = factory.createGenerator(sink, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeNumberField("status", status);
            g.writeFieldName("body");
            if (body == null) {
                g.writeNull();
            } else {
                try (JsonParser p = factory.createParser(body)) {
                    if (p.nextToken() == null) {
                        return new Rejected(FailureReason.BAD_JSON, "no JSON value in the body");
                    }
                    g.copyCurrentStructure(p);
                    if (p.nextToken() != null) {
                        return new Rejected(FailureReason.BAD_JSON, "unexpected data after the JSON value");
                    }
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            return new Rejected(FailureReason.BAD_JSON, oneLine(e.getMessage()));
        }
        sink.write('\n');
        return new Rows(1);
    }

    /**
     * Streams the body once: only the records become trees; everything around them is checked
     * token by token and skipped, so a large envelope costs no allocation beyond the parser's.
     */
    private Rendered writeRows(String id, byte[] body, ByteSink sink) throws IOException {
        try (JsonParser p = factory.createParser(body)) {
            if (p.nextToken() == null) {
                return new Rejected(FailureReason.BAD_JSON, "no JSON value in the body");
            }
            Rendered rendered;
            if (projection.records() == null) {
                writeRecord(id, record(p), sink);
                rendered = new Rows(1);
            } else {
                rendered = switch (descend(p, projection.records(), id, sink)) {
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
     * (relative to this value) leads to an array. Resolves like {@link JsonNode#at}: a segment
     * names an object's field or an array's index.
     */
    private Found descend(JsonParser p, JsonPointer pointer, String id, ByteSink sink) throws IOException {
        JsonToken t = p.currentToken();
        if (pointer.matches()) {
            if (t != JsonToken.START_ARRAY) {
                p.skipChildren();
                return new Found.Other(typeOf(t));
            }
            int count = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                writeRecord(id, record(p), sink);
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
                    found = descend(p, pointer.tail(), id, sink);
                    if (found instanceof Found.Duplicate) {
                        return found;
                    }
                }
            }
        } else if (t == JsonToken.START_ARRAY) {
            int index = pointer.getMatchingIndex();
            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                if (i == index) {
                    found = descend(p, pointer.tail(), id, sink);
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

    /** The value at the parser's current token as a tree (JSON null as a null node). */
    private JsonNode record(JsonParser p) throws IOException {
        JsonNode node = mapper.readTree(p);
        return node == null ? NullNode.getInstance() : node;
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

    private void writeRecord(String id, JsonNode record, ByteSink sink) throws IOException {
        if (format == OutputFormat.CSV) {
            writeCsvRow(id, record, sink);
        } else {
            writeJsonRow(id, record, sink);
        }
    }

    private void writeCsvRow(String id, JsonNode record, ByteSink sink) {
        List<Field> fields = projection.fields();
        String[] cells = new String[fields.size()];
        for (int i = 0; i < cells.length; i++) {
            Field f = fields.get(i);
            cells[i] = f.isInputId() ? id : text(record.at(f.pointer()));
        }
        byte[] line = Csv.row(cells).getBytes(StandardCharsets.UTF_8);
        sink.write(line, 0, line.length);
    }

    private void writeJsonRow(String id, JsonNode record, ByteSink sink) throws IOException {
        try (JsonGenerator g = factory.createGenerator(sink, JsonEncoding.UTF8)) {
            g.writeStartObject();
            if (projection.fields().isEmpty()) {
                g.writeStringField("id", id);
                g.writeFieldName("record");
                mapper.writeTree(g, record);
            } else {
                for (Field f : projection.fields()) {
                    g.writeFieldName(f.name());
                    if (f.isInputId()) {
                        g.writeString(id);
                    } else {
                        JsonNode v = record.at(f.pointer());
                        if (v.isMissingNode()) {
                            g.writeNull();
                        } else {
                            mapper.writeTree(g, v);
                        }
                    }
                }
            }
            g.writeEndObject();
        }
        sink.write('\n');
    }

    private static String text(JsonNode v) {
        if (v.isMissingNode() || v.isNull()) {
            return "";
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        return v.toString();
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "invalid JSON";
        }
        String flat = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
