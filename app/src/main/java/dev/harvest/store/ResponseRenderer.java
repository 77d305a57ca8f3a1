package dev.harvest.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.OneLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    private static final byte[] ID_KEY = "{\"id\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS_KEY = ",\"status\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BODY_KEY = ",\"body\":".getBytes(StandardCharsets.US_ASCII);

    private final JsonFactory factory;
    private final OutputFormat format;
    private final Projection projection;
    private final RecordWriter records;

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
        this.records = new RecordWriter(format, projection.fields());
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
            return new Rendered.Rejected(FailureReason.EMPTY_BODY, "HTTP " + status + " with an empty body");
        }
        if (contentType != null && !JsonMediaType.isJson(contentType)) {
            return new Rendered.Rejected(FailureReason.BAD_CONTENT_TYPE, "Content-Type is " + oneLine(contentType) + ", not JSON");
        }
        int malformed = Utf8.firstMalformed(body);
        if (malformed >= 0) {
            return new Rendered.Rejected(FailureReason.BAD_JSON, body[malformed] == 0
                    ? "NUL byte at offset " + malformed + " (JSON is read as UTF-8; a UTF-16 or UTF-32 body is not)"
                    : "invalid UTF-8 at offset " + malformed);
        }
        try {
            if (projection.isNone()) {
                return writeWhole(id, status, body, sink);
            }
            return writeRows(id, body, sink);
        } catch (RecordWriter.UnwritableValue e) {
            return new Rendered.Rejected(FailureReason.BAD_JSON, e.getMessage());
        } catch (StreamConstraintsException e) {
            // the only constraint left: nesting
            return new Rendered.Rejected(FailureReason.BAD_JSON, "nested deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            return new Rendered.Rejected(FailureReason.BAD_JSON, oneLine(e.getOriginalMessage()) + at(e));
        } catch (IOException | RuntimeException e) {
            // Reading memory cannot fail for I/O; whatever else goes wrong stays this body's failure
            // and never stops the store (which would stall the run).
            return new Rendered.Rejected(FailureReason.BAD_JSON, "body could not be read: " + oneLine(e.toString()));
        }
    }

    /**
     * The body whole: parsed once to check it is one JSON value, then copied without whitespace.
     * A UTF-8 byte order mark, which the parser skips, is not copied.
     */
    private Rendered writeWhole(String id, int status, byte[] body, ByteSink sink) throws IOException {
        try (JsonParser p = factory.createParser(body)) {
            if (p.nextToken() == null) {
                return new Rendered.Rejected(FailureReason.BAD_JSON, "no JSON value in the body");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                return new Rendered.Rejected(FailureReason.BAD_JSON, "unexpected data after the JSON value");
            }
        }
        sink.write(ID_KEY, 0, ID_KEY.length);
        JsonBytes.writeQuoted(sink, id);
        sink.write(STATUS_KEY, 0, STATUS_KEY.length);
        JsonBytes.writeInt(sink, status);
        sink.write(BODY_KEY, 0, BODY_KEY.length);
        CompactJson.copy(body, startsWithBom(body) ? UTF8_BOM.length : 0, body.length, sink);
        sink.write('}');
        sink.write('\n');
        return new Rendered.Rows(1);
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
                return new Rendered.Rejected(FailureReason.BAD_JSON, "no JSON value in the body");
            }
            Rendered rendered;
            if (projection.records() == null) {
                records.write(p, body, id, sink);
                rendered = new Rendered.Rows(1);
            } else {
                rendered = switch (descend(p, body, projection.records(), id, sink)) {
                    case Found.Array a -> new Rendered.Rows(a.count());
                    case Found.Duplicate d -> new Rendered.Rejected(FailureReason.BAD_JSON,
                            "field '" + d.name() + "' appears twice on the way to " + projection.records());
                    case Found.Other o -> new Rendered.Rejected(FailureReason.NO_RECORDS, "no array at " + projection.records()
                            + (o.type() == null ? "" : " (found " + o.type() + ")"));
                };
            }
            // A duplicate stops the walk early; anything else has consumed the whole value.
            if (!(rendered instanceof Rendered.Rejected r && r.reason() == FailureReason.BAD_JSON) && p.nextToken() != null) {
                return new Rendered.Rejected(FailureReason.BAD_JSON, "unexpected data after the JSON value");
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
                records.write(p, body, id, sink);
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
