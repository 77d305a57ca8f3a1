package dev.harvest.cli;

import java.util.Map;

/** Word-wraps help text to the terminal's width, as {@code COLUMNS} gives it. */
record Wrap(int width) {
    static final int DEFAULT_WIDTH = 80;
    static final int MAX_WIDTH = 100;
    private static final int MIN_WIDTH = 40;

    /** The width to wrap to: {@code COLUMNS} when it is a number, else 80; never over 100 (long lines read badly). */
    static Wrap forTerminal(Map<String, String> env) {
        int width = DEFAULT_WIDTH;
        String columns = env.get("COLUMNS");
        if (columns != null && columns.strip().matches("\\d{1,4}")) {
            width = Integer.parseInt(columns.strip());
        }
        return new Wrap(Math.clamp(width, MIN_WIDTH, MAX_WIDTH));
    }

    /** {@code text} as lines of at most {@link #width} characters, each starting with {@code indent} spaces. */
    String paragraph(String text, int indent) {
        StringBuilder sb = new StringBuilder();
        appendWrapped(sb, text, indent, indent);
        return sb.toString();
    }

    /**
     * One entry of a two-column list: {@code term} at two spaces, {@code text} wrapped in a column at
     * {@code column}, starting on the next line when the term does not leave room for it.
     */
    String entry(String term, String text, int column) {
        StringBuilder sb = new StringBuilder("  ").append(term);
        if (sb.length() + 2 > column) {
            sb.append('\n');
            appendWrapped(sb, text, column, column);
        } else {
            sb.append(" ".repeat(column - sb.length()));
            appendWrapped(sb, text, 0, column);
        }
        return sb.toString();
    }

    /** Appends words, breaking before a word that would pass the width (a longer word gets a line of its own). */
    private void appendWrapped(StringBuilder sb, String text, int firstIndent, int indent) {
        sb.append(" ".repeat(firstIndent));
        int lineStart = sb.lastIndexOf("\n") + 1;
        boolean lineEmpty = true;
        for (String word : text.strip().split("\\s+")) {
            if (!lineEmpty && sb.length() - lineStart + 1 + word.length() > width) {
                sb.append('\n');
                lineStart = sb.length();
                sb.append(" ".repeat(indent));
                lineEmpty = true;
            }
            if (!lineEmpty) {
                sb.append(' ');
            }
            sb.append(word);
            lineEmpty = false;
        }
        sb.append('\n');
    }
}
