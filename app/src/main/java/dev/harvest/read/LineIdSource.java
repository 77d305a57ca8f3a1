package dev.harvest.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one ID per line from raw bytes, each ID exactly as written (blanks around it are kept
 * unless {@code --trim}). Lines end at LF, CRLF or a lone CR (old Mac files), as editors show them.
 * A UTF-8 byte-order mark at the start is dropped; invalid UTF-8, NUL and other control characters make an invalid ID. A line longer than
 * the ID limit is consumed without being kept whole, so a multi-gigabyte (or endless) line cannot
 * exhaust memory, and a stop interrupts the skip ({@link InputBytes}).
 */
final class LineIdSource implements IdSource {
    private final InputBytes in;
    private final long totalBytes;
    private final boolean hasHeader;
    private final boolean trim;
    private final int maxIdLength;
    private final int maxLineBytes;
    private byte[] line = new byte[256];
    private long number;
    private String header;
    private final boolean idIsUrl;

    /**
     * @param trim    whether blanks around each ID are stripped ({@code --trim})
     * @param idIsUrl whether each line is a URL to fetch as well as the ID ({@code --url-column 1})
     */
    LineIdSource(InputStream in, long totalBytes, boolean hasHeader, boolean trim, int maxIdLength, boolean idIsUrl) {
        this.idIsUrl = idIsUrl;
        this.in = new InputBytes(in);
        this.totalBytes = totalBytes;
        this.hasHeader = hasHeader;
        this.trim = trim;
        this.maxIdLength = maxIdLength;
        // Room for the longest valid ID in 4-byte UTF-8 plus blanks around it.
        this.maxLineBytes = maxIdLength * 4 + 64;
    }

    @Override
    public InputLine next() throws IOException {
        if (number == 0) {
            in.skipByteOrderMark(); // here, not when opened: standard input may be slow to start
        }
        int b = in.read();
        if (b < 0) {
            return null;
        }
        int len = 0;
        boolean tooLong = false;
        while (b >= 0 && b != '\n' && b != '\r') {
            if (len < maxLineBytes) {
                if (len == line.length) {
                    line = Arrays.copyOf(line, Math.min(line.length * 2, maxLineBytes));
                }
                line[len++] = (byte) b;
            } else {
                tooLong = true;
            }
            b = in.read();
        }
        if (b == '\r' && in.peek() == '\n') {
            in.read();
        }
        number++;
        // Invalid UTF-8 becomes U+FFFD, which IdCheck reports as not UTF-8.
        String text = new String(line, 0, len, StandardCharsets.UTF_8);
        if (number == 1 && hasHeader) {
            header = text.strip();
            return new InputLine.Skipped(number, SkipReason.HEADER);
        }
        if (tooLong) {
            return new InputLine.Invalid(number, text, "longer than " + maxIdLength + " characters");
        }
        if (text.isBlank()) {
            return new InputLine.Skipped(number, SkipReason.BLANK);
        }
        String id = trim ? text.strip() : text;
        String problem = IdCheck.problem(id, maxIdLength);
        return problem == null ? new InputLine.Id(number, id, idIsUrl ? id : null) : new InputLine.Invalid(number, id, problem);
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
