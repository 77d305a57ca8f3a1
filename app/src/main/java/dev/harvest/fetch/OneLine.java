package dev.harvest.fetch;

/** Text from a server or a library made fit for one line of the failed file, the log or an error. */
public final class OneLine {
    private OneLine() {
    }

    /** {@code text} with its line breaks and tabs as spaces, stripped, and cut to {@code max} characters. */
    public static String of(String text, int max) {
        String flat = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return flat.length() > max ? flat.substring(0, max) + "..." : flat;
    }
}
