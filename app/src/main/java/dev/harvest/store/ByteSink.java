package dev.harvest.store;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A reusable growable byte buffer: one outcome's output is rendered here first and reaches the
 * file only when it is complete, so a body that fails half-way leaves no partial line.
 */
final class ByteSink extends OutputStream {
    private byte[] buf = new byte[8192];
    private int len;

    @Override
    public void write(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    void reset() {
        len = 0;
        if (buf.length > (1 << 20)) {
            buf = new byte[8192]; // don't keep one huge body's buffer for the rest of the run
        }
    }

    byte[] array() {
        return buf;
    }

    int length() {
        return len;
    }
}
