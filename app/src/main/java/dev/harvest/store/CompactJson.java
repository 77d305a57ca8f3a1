package dev.harvest.store;

/**
 * Copies JSON text that a parser has already accepted, leaving out only the whitespace between
 * tokens: every number, string (escapes included) and literal keeps the bytes the server sent.
 */
final class CompactJson {
    private CompactJson() {
    }

    /** Copies {@code json[from, to)}, a whole valid JSON value, without its insignificant whitespace. */
    static void copy(byte[] json, int from, int to, ByteSink sink) {
        int run = from;
        boolean inString = false;
        for (int i = from; i < to; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '\\') {
                    i++; // the escaped byte cannot end the string
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                if (i > run) {
                    sink.write(json, run, i - run);
                }
                run = i + 1;
            }
        }
        if (to > run) {
            sink.write(json, run, to - run);
        }
    }
}
