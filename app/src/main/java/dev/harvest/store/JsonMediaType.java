package dev.harvest.store;

/**
 * Which response media types the JSON renderer takes as JSON: {@code application/json},
 * {@code text/json}, any {@code +json} type, {@code text/plain}, or none given. Compared in place,
 * without lower-casing or substrings: this runs for every body.
 */
final class JsonMediaType {
    private JsonMediaType() {
    }

    /**
     * Whether the media type (before any parameters, case and surrounding whitespace ignored) is
     * JSON, or text, or empty. Compared in place: this runs for every body.
     */
    static boolean isJson(String contentType) {
        int end = contentType.indexOf(';');
        end = end < 0 ? contentType.length() : end;
        int from = 0;
        while (from < end && Character.isWhitespace(contentType.charAt(from))) {
            from++;
        }
        while (end > from && Character.isWhitespace(contentType.charAt(end - 1))) {
            end--;
        }
        return end == from || is(contentType, from, end, "application/json") || is(contentType, end - 5, end, "+json")
                || is(contentType, from, end, "text/json") || is(contentType, from, end, "text/plain");
    }

    /** Whether {@code s[from, to)} is {@code lower}, ignoring ASCII case; {@code lower} is lower-case ASCII. */
    private static boolean is(String s, int from, int to, String lower) {
        if (from < 0 || to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            char c = s.charAt(from + i);
            if ((c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

}
