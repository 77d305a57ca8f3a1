package dev.harvest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Utf8#firstMalformed} against the JDK's own strict UTF-8 decoder, at every offset a bad
 * byte can take relative to the eight-byte fast path.
 */
class Utf8Test {
    /** Byte sequences mixed into ASCII: well-formed ones, malformed ones and a NUL. */
    private static final byte[][] PIECES = {
        {(byte) 0xC3, (byte) 0xA9}, // é
        {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}, // €
        {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, // an emoji
        {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // an encoded surrogate
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0x80}, // a continuation byte without a lead
        {(byte) 0xE2, (byte) 0x82}, // cut short
        {(byte) 0xFF},
        {0},
    };

    @Test
    void agreesWithTheJdkDecoderAtEveryOffset() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] body = new byte[random.nextInt(40)];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (0x20 + random.nextInt(0x5F));
            }
            int pieces = random.nextInt(3);
            for (int p = 0; p < pieces && body.length > 4; p++) {
                byte[] piece = PIECES[random.nextInt(PIECES.length)];
                int at = random.nextInt(body.length - piece.length + 1);
                System.arraycopy(piece, 0, body, at, Math.min(piece.length, body.length - at));
            }
            assertEquals(expected(body), Utf8.firstMalformed(body), () -> hex(body));
        }
    }

    @Test
    void aBadByteIsFoundWhereverItSitsInALongAsciiBody() {
        for (byte bad : new byte[] {0, (byte) 0x80, (byte) 0xFF}) {
            for (int at = 0; at < 40; at++) {
                byte[] body = new byte[40];
                java.util.Arrays.fill(body, (byte) 'a');
                body[at] = bad;
                assertEquals(at, Utf8.firstMalformed(body), "byte " + bad + " at " + at);
            }
        }
        byte[] ascii = new byte[1000];
        java.util.Arrays.fill(ascii, (byte) '~');
        assertEquals(-1, Utf8.firstMalformed(ascii));
    }

    /** The offset of the first NUL or of the first sequence the JDK's decoder rejects, or -1. */
    private static int expected(byte[] body) {
        int nul = -1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                nul = i;
                break;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CoderResult result = decoder.decode(in, CharBuffer.allocate(body.length * 2 + 2), true);
        int malformed = result.isError() ? in.position() : -1;
        if (nul < 0) {
            return malformed;
        }
        return malformed < 0 ? nul : Math.min(nul, malformed);
    }

    private static String hex(byte[] body) {
        StringBuilder s = new StringBuilder();
        for (byte b : body) {
            s.append(String.format("%02x ", b & 0xFF));
        }
        return s.toString();
    }
}
