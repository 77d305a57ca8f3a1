package dev.harvest.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * Reads IDs from one column of an RFC 4180 CSV file, streamed record by record
 * ({@link CsvRecordReader}: quoted fields may hold commas, quotes and line breaks). Each record is
 * numbered by the line it starts on. IDs are taken exactly as written unless {@code --trim}. A
 * malformed row is one invalid ID and reading goes on. A harvest failed file reads unchanged: its
 * {@code id} column comes first and its {@code retryable} column drives {@code --only-retryable}.
 */
final class CsvIdSource implements IdSource {
    private final InputBytes in;
    private final CsvRecordReader records;
    private final long totalBytes;
    private final int maxIdLength;
    private final boolean trim;
    private final boolean onlyRetryable;
    private final String header;
    private final int idIndex;
    private final int retryableIndex;
    private final int urlIndex;

    /**
     * @param trim      whether blanks around each ID are stripped ({@code --trim})
     * @param urlColumn the column holding each row's URL ({@code --url-column}), or null
     */
    CsvIdSource(InputStream raw, long totalBytes, boolean hasHeader, boolean trim, String idColumn, String urlColumn,
                int maxIdLength, boolean onlyRetryable) throws IOException, InputException {
        this.in = new InputBytes(raw);
        // Room for the longest valid ID in 4-byte UTF-8 and for the longest row URL: a field cut
        // at this size is still too long for either check.
        this.records = new CsvRecordReader(in, Math.max(maxIdLength * 4 + 64, 1 << 16));
        this.totalBytes = totalBytes;
        this.maxIdLength = maxIdLength;
        this.trim = trim;
        this.onlyRetryable = onlyRetryable;
        List<String> first = null;
        if (hasHeader) {
            CsvRecordReader.Record r = records.next();
            if (r != null && r.problem() != null) {
                throw new InputException("the input's header (line 1) is not valid CSV: " + r.problem());
            }
            first = r == null ? List.of() : r.fields();
        }
        this.header = first == null ? null : String.join(",", first);
        this.idIndex = columnIndex(first, idColumn, "--id-column");
        this.urlIndex = urlColumn == null ? -1 : columnIndex(first, urlColumn, "--url-column");
        this.retryableIndex = first == null ? -1 : first.indexOf("retryable");
        if (onlyRetryable && retryableIndex < 0) {
            throw new InputException("--only-retryable needs a failed file with a 'retryable' column as --input");
        }
    }

    private static int columnIndex(List<String> header, String column, String flag) throws InputException {
        if (column.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(column) - 1;
        }
        for (int i = 0; header != null && i < header.size(); i++) {
            if (header.get(i).strip().equals(column)) {
                return i;
            }
        }
        throw new InputException(flag + " " + column + ": no such column in the input header ("
                + (header == null ? "" : IdCheck.shown(String.join(",", header))) + ")");
    }

    @Override
    public InputLine next() throws IOException {
        CsvRecordReader.Record r = records.next();
        if (r == null) {
            return null;
        }
        long number = r.line();
        List<String> row = r.fields();
        if (r.problem() != null) {
            // The ID stays empty: a guess cut from a broken row could pass as an ID when the
            // failed file is fed back in; empty, it is an invalid ID again.
            // The failed file has no line column, so the message names the line.
            return new InputLine.Invalid(number, "", "malformed CSV row at line " + number + ": " + r.problem()
                    + " (row starts: " + IdCheck.shown(records.excerpt()) + ")");
        }
        if (allBlank(row)) {
            return new InputLine.Skipped(number, SkipReason.BLANK);
        }
        if (idIndex >= row.size()) {
            return new InputLine.Invalid(number, "", "row has no column " + (idIndex + 1)
                    + " (row starts: " + IdCheck.shown(records.excerpt()) + ")");
        }
        String id = trim ? row.get(idIndex).strip() : row.get(idIndex);
        if (onlyRetryable && (retryableIndex >= row.size()
                || !row.get(retryableIndex).strip().toLowerCase(Locale.ROOT).equals("true"))) {
            return new InputLine.Skipped(number, SkipReason.NOT_RETRYABLE);
        }
        if (id.isBlank()) {
            return new InputLine.Invalid(number, id, "empty ID");
        }
        String problem = IdCheck.problem(id, maxIdLength);
        if (problem != null) {
            return new InputLine.Invalid(number, id, problem);
        }
        if (urlIndex < 0) {
            return new InputLine.Id(number, id);
        }
        // A missing URL cell is the fetch step's to refuse (invalid_url): the ID itself is fine.
        return new InputLine.Id(number, id, urlIndex < row.size() ? row.get(urlIndex) : "");
    }

    /** Whether every field is blank; a loop, not a stream: it runs once per input line. */
    private static boolean allBlank(List<String> row) {
        for (int i = 0; i < row.size(); i++) {
            if (!row.get(i).isBlank()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long bytesRead() {
        return in.offset();
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
        in.close();
    }
}
