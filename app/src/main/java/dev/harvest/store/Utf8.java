package dev.harvest.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Checks that a body is well-formed UTF-8 (RFC 3629) before it is parsed. Jackson's byte parser
 * lets some malformed sequences through (overlong forms, encoded surrogates, code points above
 * U+10FFFF, and any byte inside a string it only skips), and would read a UTF-16 or UTF-32 body by
 * guessing its encoding; JSON exchanged between systems is UTF-8 (RFC 8259, 8.1).
 */
final class Utf8 {
    /** Eight bytes of an array as one long, for the ASCII fast path. */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long LOW_BITS = 0x0101010101010101L;

    private Utf8() {
    }

    /**
     * The offset of the first byte that is not part of a well-formed UTF-8 sequence, or of the
     * first NUL byte, or -1 when there is none. A NUL can never occur in UTF-8 JSON (control
     * characters must be escaped in strings), but every UTF-16 or UTF-32 JSON text has one.
     */
    static int firstMalformed(byte[] b) {
        int n = b.length;
        int i = 0;
        while (i < n) {
            // Eight bytes at a time while they are ASCII without a NUL: most bodies are all ASCII,
            // and under the launcher's C1-only JIT a byte loop costs ~3x as much.
            while (i + 8 <= n && plainWord((long) WORDS.get(b, i))) {
                i += 8;
            }
            if (i == n) {
                break;
            }
            int c = b[i];
            if (c > 0) { // ASCII other than NUL: the common case
                i++;
                continue;
            }
            if (c == 0) {
                return i;
            }
            c &= 0xFF;
            if (c < 0xC2) { // a continuation byte without a lead, or an overlong 2-byte form
                return i;
            }
            if (c < 0xE0) {
                if (i + 1 >= n || !continuation(b[i + 1])) {
                    return i;
                }
                i += 2;
            } else if (c < 0xF0) {
                if (i + 2 >= n) {
                    return i;
                }
                int c1 = b[i + 1] & 0xFF;
                // E0 needs A0..BF (no overlong forms), ED needs 80..9F (no surrogates)
                int lo = c == 0xE0 ? 0xA0 : 0x80;
                int hi = c == 0xED ? 0x9F : 0xBF;
                if (c1 < lo || c1 > hi || !continuation(b[i + 2])) {
                    return i;
                }
                i += 3;
            } else if (c < 0xF5) {
                if (i + 3 >= n) {
                    return i;
                }
                int c1 = b[i + 1] & 0xFF;
                // F0 needs 90..BF (no overlong forms), F4 needs 80..8F (nothing above U+10FFFF)
                int lo = c == 0xF0 ? 0x90 : 0x80;
                int hi = c == 0xF4 ? 0x8F : 0xBF;
                if (c1 < lo || c1 > hi || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return i;
                }
                i += 4;
            } else { // F5..FF: above U+10FFFF or the old 5- and 6-byte forms
                return i;
            }
        }
        return -1;
    }

    /** No byte has its high bit set and none is zero. */
    private static boolean plainWord(long w) {
        return ((w & HIGH_BITS) | ((w - LOW_BITS) & ~w & HIGH_BITS)) == 0;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
