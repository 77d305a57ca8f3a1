package dev.harvest.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.harvest.fetch.FailureReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Turns one 2xx body into results-file bytes with Jackson: without a projection the body is
 * validated and copied compactly token by token; with one, the records are exploded into rows.
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
            JsonNode root = mapper.readTree(body);
            if (root == null) {
                return new Rejected(FailureReason.BAD_JSON, "no JSON value in the body");
            }
            return writeRows(id, root, sink);
        } catch (IOException e) {
            return new Rejected(FailureReason.BAD_JSON, oneLine(e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
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

    private Rendered writeRows(String id, JsonNode root, ByteSink sink) throws IOException {
        List<JsonNode> records;
        if (projection.records() == null) {
            records = List.of(root);
        } else {
            JsonNode array = root.at(projection.records());
            if (!array.isArray()) {
                return new Rejected(FailureReason.NO_RECORDS, "no array at " + projection.records()
                        + (array.isMissingNode() ? "" : " (found " + array.getNodeType().name().toLowerCase(Locale.ROOT) + ")"));
            }
            records = array.valueStream().toList();
        }
        for (JsonNode record : records) {
            if (format == OutputFormat.CSV) {
                writeCsvRow(id, record, sink);
            } else {
                writeJsonRow(id, record, sink);
            }
        }
        return new Rows(records.size());
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
