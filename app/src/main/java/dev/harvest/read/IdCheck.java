package dev.harvest.read;

/** The rules every ID must pass before it is fetched, shared by the line and CSV readers. */
public final class IdCheck {
    private static final int SHOWN = 80;

    private IdCheck() {
    }

    /** Why this text cannot be an ID, or {@code null} when it can. */
    static String problem(String id, int maxLength) {
        if (id.length() > maxLength) {
            return "longer than " + maxLength + " characters";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
                return String.format("control character U+%04X at position %d", (int) c, i + 1);
            }
            if (c == '\uFFFD') {
                return "not valid UTF-8";
            }
        }
        return null;
    }

    /**
     * An ID as a log line or message may show it: bounded, with control characters made visible.
     * Never for the failed file, whose id column keeps the ID as written.
     */
    public static String shown(String id) {
        StringBuilder sb = new StringBuilder(Math.min(id.length(), SHOWN) + 8);
        for (int i = 0; i < id.length() && i < SHOWN; i++) {
            char c = id.charAt(i);
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (id.length() > SHOWN) {
            sb.append("...");
        }
        return sb.toString();
    }
}
