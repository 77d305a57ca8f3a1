package dev.harvest.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Where the parser's values lie in the body's bytes, and writing small JSON pieces around them. */
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

    /** Where the current token starts in the body. */
    static int tokenStart(JsonParser p) {
        return (int) p.currentTokenLocation().getByteOffset();
    }

    /** Where the value just finished ends in the body (a root-level number may take one whitespace byte after it). */
    static int valueEnd(JsonParser p) {
        return (int) p.currentLocation().getByteOffset();
    }

    /** A JSON string literal of {@code s}. */
    static String quoted(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    static void writeUtf8(ByteSink sink, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        sink.write(b, 0, b.length);
    }
}
