package dev.harvest.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Finds the {@code --fields} of one record as it streams past: per field, the token at its
 * pointer and that value's byte range in the body (and for CSV a string's decoded text). Follows
 * only the fields' paths and skips the rest; nothing becomes a tree.
 */
final class FieldPicker {
    private final boolean decodeStrings;

    /** @param decodeStrings keep a picked string's decoded text (CSV cells hold text, not JSON) */
    FieldPicker(boolean decodeStrings) {
        this.decodeStrings = decodeStrings;
    }

    /** The values the fields point to in one record: a token and its bytes' range, per field. */
    static final class Picked {
        /** null when nothing is at the field's pointer. */
        final JsonToken[] token;
        final int[] start;
        final int[] end;
        /** CSV: a string's decoded text. */
        final String[] text;

        Picked(int n) {
            token = new JsonToken[n];
            start = new int[n];
            end = new int[n];
            text = new String[n];
        }
    }

    /**
     * Consumes the record at the parser's current token and returns what {@code pointers} (per
     * field, null for one that is not in the record, like the input ID) point to.
     */
    Picked pick(JsonParser p, JsonPointer[] pointers) throws IOException {
        Picked picked = new Picked(pointers.length);
        pick(p, pointers, picked);
        return picked;
    }

    /**
     * Consumes the value at the parser's current token, noting the values that {@code at} (per
     * field: its pointer relative to this value, or null when it does not pass here) points to.
     * A field name that occurs twice is read as the last one, as a tree would have it.
     */
    private void pick(JsonParser p, JsonPointer[] at, Picked picked) throws IOException {
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
        String text = null;
        if (deeper && t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                JsonPointer[] next = null;
                for (int i = 0; i < at.length; i++) {
                    if (at[i] != null && !at[i].matches() && name.equals(at[i].getMatchingProperty())) {
                        next = next == null ? new JsonPointer[at.length] : next;
                        next[i] = at[i].tail();
                        picked.token[i] = null; // a later duplicate replaces what an earlier one gave
                    }
                }
                if (next == null) {
                    p.skipChildren();
                } else {
                    pick(p, next, picked);
                }
            }
        } else if (deeper && t == JsonToken.START_ARRAY) {
            for (int index = 0; p.nextToken() != JsonToken.END_ARRAY; index++) {
                JsonPointer[] next = null;
                for (int i = 0; i < at.length; i++) {
                    if (at[i] != null && !at[i].matches() && at[i].getMatchingIndex() == index) {
                        next = next == null ? new JsonPointer[at.length] : next;
                        next[i] = at[i].tail();
                    }
                }
                if (next == null) {
                    p.skipChildren();
                } else {
                    pick(p, next, picked);
                }
            }
        } else if (here && t == JsonToken.VALUE_STRING && decodeStrings) {
            text = p.getText();
        } else {
            JsonBytes.finishValue(p);
        }
        if (here) {
            int end = JsonBytes.valueEnd(p);
            for (int i = 0; i < at.length; i++) {
                if (at[i] != null && at[i].matches()) {
                    picked.token[i] = t;
                    picked.start[i] = start;
                    picked.end[i] = end;
                    picked.text[i] = text;
                }
            }
        }
    }
}
