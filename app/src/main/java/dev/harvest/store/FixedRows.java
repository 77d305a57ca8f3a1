package dev.harvest.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Results rows with fixed columns (the download and feed shapes), as CSV or JSON Lines. In JSON a
 * {@link Number} value is written as a number, anything else as a string or null.
 */
final class FixedRows {
    private final List<String> columns;
    private final OutputFormat format;
    private final JsonFactory json = new JsonFactory();

    FixedRows(List<String> columns, OutputFormat format) {
        this.columns = List.copyOf(columns);
        this.format = format;
    }

    /** The CSV header line, or null for JSON Lines. */
    String header() {
        return format == OutputFormat.CSV ? Csv.row(columns.toArray(String[]::new)) : null;
    }

    /** One row: a value per column, in column order. */
    void write(ByteSink sink, Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(values.length + " values for " + columns.size() + " columns");
        }
        if (format == OutputFormat.CSV) {
            String[] fields = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                fields[i] = values[i] == null ? null : values[i].toString();
            }
            byte[] row = Csv.row(fields).getBytes(StandardCharsets.UTF_8);
            sink.write(row, 0, row.length);
            return;
        }
        try (JsonGenerator g = json.createGenerator(sink, JsonEncoding.UTF8)) {
            g.writeStartObject();
            for (int i = 0; i < values.length; i++) {
                g.writeFieldName(columns.get(i));
                switch (values[i]) {
                    case Long n -> g.writeNumber(n);
                    case Integer n -> g.writeNumber(n);
                    case null -> g.writeNull();
                    default -> g.writeString(values[i].toString());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        sink.write('\n');
    }
}
