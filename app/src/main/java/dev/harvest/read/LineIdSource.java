package dev.harvest.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads one ID per line from raw bytes. A line longer than the ID limit is consumed without being
 * kept whole, so a malformed multi-gigabyte line cannot exhaust memory. LF and CRLF endings, a
 * UTF-8 byte-order mark and surrounding blanks are handled; invalid UTF-8 is an invalid ID.
 */
final class LineIdSource implements IdSource {
    private final CountingInputStream in;
    private final long totalBytes;
    private final boolean hasHeader;
    private final int maxIdLength;
    private final int maxLineBytes;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private long number;
    private String header;
    private boolean eof;

    private final boolean idIsUrl;

    /**
     * @param idIsUrl whether each line is a URL to fetch as well as the ID ({@code --url-column 1})
     */
    LineIdSource(InputStream in, long totalBytes, boolean hasHeader, int maxIdLength, boolean idIsUrl) {
        this.idIsUrl = idIsUrl;
        this.in = new CountingInputStream(in);
        this.totalBytes = totalBytes;
        this.hasHeader = hasHeader;
        this.maxIdLength = maxIdLength;
        // Room for the longest valid ID in 4-byte UTF-8 plus blanks around it.
        this.maxLineBytes = maxIdLength * 4 + 64;
    }

    @Override
    public InputLine next() throws IOException {
        if (eof) {
            return null;
        }
        int len = 0;
        boolean tooLong = false;
        boolean sawAny = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buf, 0, buf.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    eof = true;
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
            }
            sawAny = true;
            byte b = buf[pos++];
            if (b == '\n') {
                break;
            }
            if (len < maxLineBytes) {
                if (len == line.length) {
                    line = java.util.Arrays.copyOf(line, Math.min(line.length * 2, maxLineBytes));
                }
                line[len++] = b;
            } else {
                tooLong = true;
            }
        }
        number++;
        int start = 0;
        if (number == 1 && len >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        int end = len;
        if (!tooLong && end > start && line[end - 1] == '\r') {
            end--;
        }
        String text = decode(start, end);
        if (number == 1 && hasHeader) {
            header = text.strip();
            return new InputLine.Skipped(number, SkipReason.HEADER);
        }
        if (tooLong) {
            return new InputLine.Invalid(number, IdCheck.shown(text), "longer than " + maxIdLength + " characters");
        }
        String id = text.strip();
        if (id.isEmpty()) {
            return new InputLine.Skipped(number, SkipReason.BLANK);
        }
        String problem = IdCheck.problem(id, maxIdLength);
        return problem == null ? new InputLine.Id(number, id, idIsUrl ? id : null) : new InputLine.Invalid(number, IdCheck.shown(id), problem);
    }

    private String decode(int start, int end) {
        boolean ascii = true;
        for (int i = start; i < end; i++) {
            if (line[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(line, start, end - start, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, start, end - start));
            return chars.toString();
        } catch (CharacterCodingException e) {
            // Replacement characters mark the bad bytes; IdCheck reports them as not UTF-8.
            return new String(line, start, end - start, StandardCharsets.UTF_8);
        }
    }

    @Override
    public long bytesRead() {
        return in.count() - (limit - pos);
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
