package dev.harvest.fetch;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * Turns untrusted text (an ID, a URL segment) into one safe file name: it can never name a
 * directory, climb out of the download directory, hide itself, start like an option, be a
 * Windows device name, or carry control and bidirectional-override characters. Deterministic:
 * the same text always gives the same name.
 */
public final class SafeFileName {
    /** Longest name kept, in UTF-8 bytes: under every common file system's 255, with room for a suffix. */
    static final int MAX_BYTES = 200;
    private static final int MAX_EXTENSION = 16;
    private static final Set<String> DEVICES = Set.of("con", "prn", "aux", "nul",
            "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9", "conin$", "conout$");

    private SafeFileName() {
    }

    /** The safe file name for this text (never empty, never a path). */
    public static String of(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFC);
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.appendCodePoint(allowed(cp) ? cp : '_'));
        String name = sb.toString();
        // No hidden files, no '.' or '..', nothing a shell tool reads as an option.
        name = stripLeading(name);
        // Windows drops trailing dots and blanks, which would make two names one.
        name = stripTrailing(name);
        name = truncate(name);
        if (name.isEmpty()) {
            name = "file";
        }
        int dot = name.indexOf('.');
        String stem = (dot < 0 ? name : name.substring(0, dot)).strip().toLowerCase(Locale.ROOT);
        if (DEVICES.contains(stem)) {
            name = "_" + name;
        }
        return name;
    }

    private static boolean allowed(int cp) {
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
            return false;
        }
        switch (cp) {
            case '/', '\\', '<', '>', ':', '"', '|', '?', '*' -> {
                return false;
            }
            default -> {
            }
        }
        int type = Character.getType(cp);
        // FORMAT covers U+202E RIGHT-TO-LEFT OVERRIDE & co., which disguise an extension.
        return type != Character.FORMAT && type != Character.CONTROL && type != Character.UNASSIGNED
                && type != Character.PRIVATE_USE && type != Character.SURROGATE
                && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
    }

    private static String stripLeading(String name) {
        int i = 0;
        while (i < name.length() && (name.charAt(i) == '.' || name.charAt(i) == '-' || Character.isWhitespace(name.charAt(i)))) {
            i++;
        }
        return name.substring(i);
    }

    private static String stripTrailing(String name) {
        int end = name.length();
        while (end > 0 && (name.charAt(end - 1) == '.' || Character.isWhitespace(name.charAt(end - 1)))) {
            end--;
        }
        return name.substring(0, end);
    }

    /** Cuts the name to {@link #MAX_BYTES}, keeping a short extension. */
    private static String truncate(String name) {
        if (utf8Length(name) <= MAX_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= MAX_EXTENSION ? name.substring(dot) : "";
        String stem = ext.isEmpty() ? name : name.substring(0, dot);
        int budget = MAX_BYTES - utf8Length(ext);
        StringBuilder sb = new StringBuilder();
        int used = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int n = utf8Length(new String(Character.toChars(cp)));
            if (used + n > budget) {
                break;
            }
            sb.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return stripTrailing(sb.toString()) + ext;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
