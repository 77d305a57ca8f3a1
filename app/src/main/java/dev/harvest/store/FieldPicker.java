package dev.harvest.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * Finds the {@code --fields} of one record as it streams past: per field, the token at its
 * pointer and that value's byte range in the body (and for CSV a string's decoded text). Follows
 * only the fields' paths and skips the rest; nothing becomes a tree. Runs once per record, so it
 * reuses its buffers: one picker serves one store thread.
 */
final class FieldPicker {
    private final boolean decodeStrings;
    private final Picked picked;
    /** Per depth below the record: which pointers pass through the value being read there. */
    private JsonPointer[][] levels = new JsonPointer[0][];

    /**
     * @param fields how many fields are picked
     * @param decodeStrings keep a picked string's decoded text (CSV cells hold text, not JSON)
     */
    FieldPicker(int fields, boolean decodeStrings) {
        this.decodeStrings = decodeStrings;
        this.picked = new Picked(fields);
    }

    /**
     * The values the fields point to in one record: a token and its bytes' range, per field. Valid
     * until the next {@link #pick}.
     */
    static final class Picked {
        /** null when nothing is at the field's pointer. */
        final JsonToken[] token;
        final int[] start;
        final int[] end;
        /** CSV: a string's decoded text, {@code textLength[i]} chars of {@code text[i]}. */
        final char[][] text;
        final int[] textLength;

        private Picked(int n) {
            token = new JsonToken[n];
            start = new int[n];
            end = new int[n];
            text = new char[n][16];
            textLength = new int[n];
        }
    }

    /**
     * Consumes the record at the parser's current token and returns what {@code pointers} (per
     * field, null for one that is not in the record, like the input ID) point to.
     */
    Picked pick(JsonParser p, byte[] body, JsonPointer[] pointers) throws IOException {
        Arrays.fill(picked.token, null);
        pick(p, body, pointers, 0);
        return picked;
    }

    /**
     * Consumes the value at the parser's current token, noting the values that {@code at} (per
     * field: its pointer relative to this value, or null when it does not pass here) points to.
     * A field name that occurs twice is read as the last one, as a tree would have it.
     */
    private void pick(JsonParser p, byte[] body, JsonPointer[] at, int depth) throws IOException {
        JsonToken t = p.currentToken();
        boolean here = false;
        boolean deeper = false;
        for (JsonPointer ptr : at) {
            if (ptr != null) {
                here |= ptr.matches();
                deeper |= !ptr.matches();
            }
        }
        int start = here ? JsonBytes.tokenStart(p) : -1;
        boolean decoded = false;
        if (deeper && t == JsonToken.START_OBJECT) {
            JsonPointer[] next = level(depth + 1, at.length);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                boolean passes = false;
                for (int i = 0; i < at.length; i++) {
                    next[i] = null;
                    if (at[i] != null && !at[i].matches() && name.equals(at[i].getMatchingProperty())) {
                        passes = true;
                        next[i] = at[i].tail();
                        picked.token[i] = null; // a later duplicate replaces what an earlier one gave
                    }
                }
                if (passes) {
                    pick(p, body, next, depth + 1);
                } else {
                    p.skipChildren();
                }
            }
        } else if (deeper && t == JsonToken.START_ARRAY) {
            JsonPointer[] next = level(depth + 1, at.length);
            for (int index = 0; p.nextToken() != JsonToken.END_ARRAY; index++) {
                boolean passes = false;
                for (int i = 0; i < at.length; i++) {
                    next[i] = null;
                    if (at[i] != null && !at[i].matches() && at[i].getMatchingIndex() == index) {
                        passes = true;
                        next[i] = at[i].tail();
                    }
                }
                if (passes) {
                    pick(p, body, next, depth + 1);
                } else {
                    p.skipChildren();
                }
            }
        } else if (here && t == JsonToken.VALUE_STRING && decodeStrings) {
            decoded = true;
            for (int i = 0; i < at.length; i++) {
                if (at[i] != null && at[i].matches()) {
                    keepText(p, i);
                }
            }
        } else {
            JsonBytes.finishValue(p);
        }
        if (here) {
            int end = JsonBytes.valueEnd(p, body, start);
            for (int i = 0; i < at.length; i++) {
                if (at[i] != null && at[i].matches()) {
                    picked.token[i] = t;
                    picked.start[i] = start;
                    picked.end[i] = end;
                    if (!decoded) {
                        picked.textLength[i] = 0;
                    }
                }
            }
        }
    }

    /** The pointer array for values at {@code depth}: reused, as only one value per depth is read at a time. */
    private JsonPointer[] level(int depth, int fields) {
        if (depth >= levels.length) {
            levels = Arrays.copyOf(levels, depth + 1);
        }
        if (levels[depth] == null) {
            levels[depth] = new JsonPointer[fields];
        }
        return levels[depth];
    }

    /** Copies the current string's decoded text into field {@code i}'s buffer (the parser's is reused by the next token). */
    private void keepText(JsonParser p, int i) throws IOException {
        int n = p.getTextLength();
        if (picked.text[i].length < n) {
            picked.text[i] = new char[Math.max(n, picked.text[i].length * 2)];
        }
        System.arraycopy(p.getTextCharacters(), p.getTextOffset(), picked.text[i], 0, n);
        picked.textLength[i] = n;
    }
}
