package dev.harvest.read;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.harvest.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads IDs from one column of an RFC 4180 CSV file, streamed record by record with Jackson's CSV
 * parser (quoted fields may hold commas, quotes and line breaks). Record numbers stand in for
 * line numbers. A harvest failed file reads unchanged: its {@code id} column comes first and its
 * {@code retryable} column drives {@code --only-retryable}.
 */
final class CsvIdSource implements IdSource {
    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private final CountingInputStream in;
    private final MappingIterator<String[]> rows;
    private final long totalBytes;
    private final int maxIdLength;
    private final boolean onlyRetryable;
    private final String header;
    private final int idIndex;
    private final int retryableIndex;
    private final int urlIndex;
    private long number;

    /**
     * @param urlColumn the column holding each row's URL ({@code --url-column}), or null
     */
    CsvIdSource(InputStream raw, long totalBytes, boolean hasHeader, String idColumn, String urlColumn,
                int maxIdLength, boolean onlyRetryable) throws IOException, ConfigException {
        this.in = new CountingInputStream(raw);
        this.totalBytes = totalBytes;
        this.maxIdLength = maxIdLength;
        this.onlyRetryable = onlyRetryable;
        this.rows = MAPPER.readerFor(String[].class)
                .readValues(new InputStreamReader(in, StandardCharsets.UTF_8));
        String[] first = null;
        if (hasHeader) {
            first = nextRow();
            if (first == null) {
                first = new String[0];
            }
            number = 1;
        }
        this.header = first == null ? null : String.join(",", first);
        this.idIndex = columnIndex(first, idColumn, "--id-column");
        this.urlIndex = urlColumn == null ? -1 : columnIndex(first, urlColumn, "--url-column");
        int retryable = -1;
        if (first != null) {
            retryable = Arrays.asList(first).indexOf("retryable");
        }
        if (onlyRetryable && retryable < 0) {
            throw new ConfigException("--only-retryable needs a failed file with a 'retryable' column as --input");
        }
        this.retryableIndex = retryable;
    }

    private static int columnIndex(String[] header, String column, String flag) throws ConfigException {
        if (column.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(column) - 1;
        }
        for (int i = 0; header != null && i < header.length; i++) {
            if (header[i].strip().equals(column)) {
                return i;
            }
        }
        throw new ConfigException(flag + " " + column + ": no such column in the input header ("
                + (header == null ? "" : String.join(",", header)) + ")");
    }

    private String[] nextRow() throws IOException {
        if (!rows.hasNextValue()) {
            return null;
        }
        String[] row = rows.nextValue();
        if (number == 0 && row.length > 0 && row[0].startsWith("\uFEFF")) {
            row[0] = row[0].substring(1);
        }
        return row;
    }

    @Override
    public InputLine next() throws IOException {
        String[] row = nextRow();
        if (row == null) {
            return null;
        }
        number++;
        if (Arrays.stream(row).allMatch(String::isBlank)) {
            return new InputLine.Skipped(number, SkipReason.BLANK);
        }
        if (idIndex >= row.length) {
            return new InputLine.Invalid(number, IdCheck.shown(String.join(",", row)),
                    "row has no column " + (idIndex + 1));
        }
        String id = row[idIndex].strip();
        if (onlyRetryable && (retryableIndex >= row.length
                || !row[retryableIndex].strip().toLowerCase(Locale.ROOT).equals("true"))) {
            return new InputLine.Skipped(number, SkipReason.NOT_RETRYABLE);
        }
        if (id.isEmpty()) {
            return new InputLine.Invalid(number, "", "empty ID");
        }
        String problem = IdCheck.problem(id, maxIdLength);
        if (problem != null) {
            return new InputLine.Invalid(number, IdCheck.shown(id), problem);
        }
        if (urlIndex < 0) {
            return new InputLine.Id(number, id);
        }
        // A missing URL cell is the fetch step's to refuse (invalid_url): the ID itself is fine.
        return new InputLine.Id(number, id, urlIndex < row.length ? row[urlIndex] : "");
    }

    @Override
    public long bytesRead() {
        return in.count();
    }

    @Override
    public long totalBytes() {
        return totalBytes;
    }

    @Override
    public String header() {
        return header;
    }

    @Override
    public void close() throws IOException {
        rows.close();
        in.close();
    }
}
