package dev.harvest.store;

/** RFC 4180 field quoting for the files harvest writes: quotes only where a field needs them. */
public final class Csv {
    private Csv() {
    }

    /** The field as it must appear in a CSV row. */
    public static String field(String value) {
        if (value == null) {
            return "";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + value.replace("\"", "\"\"") + '"';
            }
        }
        return value;
    }

    /** One row, fields quoted as needed, ending in a line feed. */
    public static String row(String... fields) {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(field(fields[i]));
        }
        return sb.append('\n').toString();
    }
}
