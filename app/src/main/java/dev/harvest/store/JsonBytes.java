package dev.harvest.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Where the parser's values lie in the body's bytes, and writing small JSON pieces around them.
 * Runs on every token of every body, so it allocates nothing: Jackson's {@code JsonLocation}
 * accessors would cost an object per call.
 */
final class JsonBytes {
    private JsonBytes() {
    }

    /** Reads the rest of the value at the current token (a string's contents are read lazily). */
    static void finishValue(JsonParser p) throws IOException {
        if (p.currentToken().isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
    }

    /**
     * Where the current token (not a field name) starts in the body. A byte-array parser counts
     * its token offset one past the token's first byte: {@code currentTokenLocation()} subtracts
     * the same one, but allocates a location to say so.
     */
    static int tokenStart(JsonParser p) {
        return (int) (((ParserBase) p).getTokenCharacterOffset() - 1);
    }

    /**
     * Where the value that started at {@code start} ends in the body, once {@link #finishValue}
     * has read it: after its closing bracket, or after the scalar's own bytes (which the parser has
     * validated, so they can be measured without it).
     */
    static int valueEnd(JsonParser p, byte[] body, int start) {
        JsonToken t = p.currentToken();
        if (t.isStructEnd()) {
            return tokenStart(p) + 1;
        }
        int i = start;
        switch (t) {
            case VALUE_STRING -> {
                i++;
                while (body[i] != '"') {
                    i += body[i] == '\\' ? 2 : 1;
                }
                i++;
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                while (i < body.length && isNumberByte(body[i])) {
                    i++;
                }
            }
            case VALUE_TRUE, VALUE_NULL -> i += 4;
            case VALUE_FALSE -> i += 5;
            default -> throw new IllegalStateException("not a value: " + t);
        }
        return i;
    }

    private static boolean isNumberByte(byte b) {
        return (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
    }

    /** A JSON string literal of {@code s}. */
    static String quoted(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    /** Writes {@link #quoted(String) quoted(s)} in UTF-8; without allocating when {@code s} is printable ASCII needing no escape. */
    static void writeQuoted(ByteSink sink, String s) {
        if (!plainAscii(s)) {
            writeUtf8(sink, quoted(s));
            return;
        }
        sink.write('"');
        writeAscii(sink, s);
        sink.write('"');
    }

    /** Printable ASCII without a quote or backslash: what JSON strings and CSV cells hold unchanged (but commas, for CSV). */
    static boolean plainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Writes {@code s}, which holds only ASCII. */
    static void writeAscii(ByteSink sink, String s) {
        for (int i = 0; i < s.length(); i++) {
            sink.write(s.charAt(i));
        }
    }

    /** Writes {@code n} in decimal. */
    static void writeInt(ByteSink sink, int n) {
        if (n < 0) {
            writeAscii(sink, Integer.toString(n)); // a status code is never negative
            return;
        }
        int div = 1;
        while (n / div >= 10) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            sink.write('0' + n / div % 10);
        }
    }

    static void writeUtf8(ByteSink sink, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sink.write(b, 0, b.length);
    }
}
