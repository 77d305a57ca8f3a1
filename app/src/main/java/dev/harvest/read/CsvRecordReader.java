package dev.harvest.read;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small RFC 4180 record reader over raw bytes. Hand-written rather than Jackson's CSV parser
 * because a malformed row must cost one row, not the run: Jackson throws on the first bad quote and
 * cannot resume after it (so {@code --resume} met the same row forever), counts records rather than
 * lines, and cannot read a quoted header behind a byte-order mark. Here a malformed row is returned
 * with its problem, the reader resynchronises at the next line, and each record carries the line
 * it starts on, however many lines its quoted fields span.
 *
 * <p>Fields are kept exactly as written (no trimming). Outside quotes a record ends at LF, CRLF or
 * a lone CR (old Mac files; Excel and Python's csv read them so); inside quotes every byte is data.
 * A quote inside an unquoted field is taken literally. Each field keeps at most {@code fieldCap} bytes and a record at most
 * {@link #RECORD_CAP}: the rest is read and dropped, so an endless row cannot exhaust memory, and
 * a dropped tail is reported as the record's problem.
 */
final class CsvRecordReader {
    /** Bytes of one record kept at most (all fields together). */
    static final int RECORD_CAP = 1 << 20;
    private static final int EXCERPT = 60;

    /**
     * One record.
     *
     * @param line    the 1-based line it starts on
     * @param fields  its fields, decoded as UTF-8 (invalid bytes become U+FFFD)
     * @param problem why it is not valid CSV (or was cut short), or null
     */
    record Record(long line, List<String> fields, String problem) {
    }

    private final InputBytes in;
    private final int fieldCap;
    private byte[] field = new byte[256];
    private int fieldLen;
    private long fieldBytes;
    private int recordBytes;
    private final StringBuilder excerpt = new StringBuilder();
    private long line = 1;

    /**
     * @param fieldCap bytes of one field kept at most; a longer field is kept cut short (so an ID
     *                 cut here is still too long to pass the ID check)
     */
    CsvRecordReader(InputBytes in, int fieldCap) {
        this.in = in;
        this.fieldCap = fieldCap;
    }

    /** The next record, or null at the end of the input. */
    Record next() throws IOException {
        if (line == 1) {
            in.skipByteOrderMark(); // here, not when opened: standard input may be slow to start
        }
        int b = in.read();
        if (b < 0) {
            return null;
        }
        long start = line;
        List<String> fields = new ArrayList<>();
        excerpt.setLength(0);
        recordBytes = 0;
        startField();
        boolean quoted = false;
        boolean afterQuote = false; // inside a quoted field, just after a quote
        boolean atFieldStart = true;
        while (true) {
            if (b >= 0 && excerpt.length() < EXCERPT) {
                excerpt.append(b < 0x80 ? (char) b : '?');
            }
            if (b < 0) {
                if (quoted && !afterQuote) {
                    endField(fields);
                    return new Record(start, fields, "a quoted field has no closing quote before the end of the input");
                }
                break;
            }
            if (b == '\n' || b == '\r' && in.peek() != '\n') {
                line++;
            }
            if (quoted) {
                if (afterQuote) {
                    if (b == '"') {
                        keep(b);
                        afterQuote = false;
                    } else if (b == ',') {
                        endField(fields);
                        quoted = false;
                        atFieldStart = true;
                    } else if (b == '\n' || b == '\r') {
                        endOfLine(b);
                        break;
                    } else {
                        endField(fields);
                        skipLine(in.read());
                        return new Record(start, fields, "text after the closing quote of field " + fields.size());
                    }
                } else if (b == '"') {
                    afterQuote = true;
                } else {
                    keep(b);
                }
            } else if (b == ',') {
                endField(fields);
                atFieldStart = true;
            } else if (b == '\n' || b == '\r') {
                endOfLine(b);
                break;
            } else if (b == '"' && atFieldStart) {
                quoted = true;
                afterQuote = false;
                atFieldStart = false;
            } else {
                keep(b);
                atFieldStart = false;
            }
            b = in.read();
        }
        endField(fields);
        String problem = recordBytes > RECORD_CAP ? "row longer than " + RECORD_CAP + " bytes" : null;
        return new Record(start, fields, problem);
    }

    /** The first characters of the last record as written (non-ASCII shown as '?'), for messages. */
    String excerpt() {
        return excerpt.toString();
    }

    /** Consumes the LF of a CRLF ending (counting its line: the CR was not counted). */
    private void endOfLine(int b) throws IOException {
        if (b == '\r' && in.peek() == '\n') {
            in.read();
            line++;
        }
    }

    private void startField() {
        fieldLen = 0;
        fieldBytes = 0;
    }

    private void keep(int b) {
        fieldBytes++;
        recordBytes = recordBytes == Integer.MAX_VALUE ? recordBytes : recordBytes + 1;
        if (fieldLen >= fieldCap || recordBytes > RECORD_CAP) {
            return;
        }
        if (fieldLen == field.length) {
            field = Arrays.copyOf(field, Math.min(field.length * 2, fieldCap));
        }
        field[fieldLen++] = (byte) b;
    }

    private void endField(List<String> fields) {
        recordBytes = recordBytes == Integer.MAX_VALUE ? recordBytes : recordBytes + 1; // the separator
        if (recordBytes <= RECORD_CAP) {
            fields.add(new String(field, 0, fieldLen, StandardCharsets.UTF_8));
        }
        startField();
    }

    /** Reads through the end of the current line without keeping it. */
    private void skipLine(int b) throws IOException {
        while (b >= 0 && b != '\n' && b != '\r') {
            if (excerpt.length() < EXCERPT) {
                excerpt.append(b < 0x80 ? (char) b : '?');
            }
            b = in.read();
        }
        if (b >= 0) {
            line++;
            if (b == '\r' && in.peek() == '\n') {
                in.read();
            }
        }
    }
}
