package dev.harvest.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * The input's bytes, buffered, with their offset. Each refill first checks the reading thread's
 * interrupt status, so a stop can end even the skipping of an endless line ({@code /dev/zero}):
 * reading never spins without looking up, and never holds more than one buffer.
 */
final class InputBytes {
    private final CountingInputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private boolean bomChecked;

    InputBytes(InputStream in) {
        this.in = new CountingInputStream(in);
    }

    /** The next byte (0-255), or -1 at the end of the input. */
    int read() throws IOException {
        if (pos == limit && !refill()) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    /** The next byte without consuming it, or -1 at the end of the input. */
    int peek() throws IOException {
        if (pos == limit && !refill()) {
            return -1;
        }
        return buf[pos] & 0xFF;
    }

    /**
     * Drops a UTF-8 byte-order mark at the very start (as Windows tools write it), so that a
     * quoted CSV header or a first ID is read as written. Only the first call counts; call it
     * before reading anything.
     */
    void skipByteOrderMark() throws IOException {
        if (bomChecked) {
            return;
        }
        bomChecked = true;
        while (limit < 3 && !eof) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("stopped while reading the input");
            }
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }
        if (limit >= 3 && (buf[0] & 0xFF) == 0xEF && (buf[1] & 0xFF) == 0xBB && (buf[2] & 0xFF) == 0xBF) {
            pos = 3;
        }
    }

    private boolean refill() throws IOException {
        if (eof) {
            return false;
        }
        int n;
        do {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("stopped while reading the input");
            }
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        pos = 0;
        limit = Math.max(n, 0);
        eof = n < 0;
        return n > 0;
    }

    /** Bytes consumed so far. */
    long offset() {
        return in.count() - (limit - pos);
    }

    void close() throws IOException {
        in.close();
    }
}
