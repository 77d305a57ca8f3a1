package dev.harvest.fetch;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret strings of one job, and the one place that takes them out of text before harvest
 * writes it anywhere (the failed file's messages, the log, the summary, stderr). A secret is
 * every value the operator supplies that is sent with each request: the bearer token, each
 * {@code --header} value not on the short list of harmless headers, and each query parameter
 * value of {@code --url}. Each is also looked for in the forms a server tends to echo it in:
 * JSON-escaped, percent-decoded, base64, and the parts of {@code Scheme credential} and
 * {@code a=b; c=d} values. Apart from them, the query string of any URL in the text is replaced
 * by {@code ?…}.
 *
 * <p>Strings shorter than {@link #MIN_LENGTH} characters are not hunted in free text: {@code 1},
 * {@code true} or {@code json} would be blanked out of every message, and a credential that short
 * protects nothing. They are still never shown where the configuration is printed.
 *
 * @param values the strings to remove, longest first
 */
public record Secrets(List<String> values) {
    /** Shorter strings are not scrubbed from free text. */
    public static final int MIN_LENGTH = 6;
    /** What a secret is replaced by. */
    public static final String MARK = "<redacted>";
    /** A job without secrets: only query strings are hidden. */
    public static final Secrets NONE = new Secrets(List.of());

    // The query of an absolute URL in free text (scheme://…?query), up to a quote, space or bracket.
    private static final Pattern URL_QUERY =
            Pattern.compile("(?i)(\\b[a-z][a-z0-9+.-]*://[^\\s?#\"'<>]*)\\?[^\\s#\"'<>\\\\]*");
    private static final Pattern SCHEME_CREDENTIAL = Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)\\s+(\\S.*)");

    public Secrets {
        values = List.copyOf(values);
    }

    /**
     * The secrets of the given strings (header values, the token, query values), with the forms a
     * server may echo them in.
     */
    public static Secrets of(List<String> supplied) {
        Set<String> all = new LinkedHashSet<>();
        for (String v : supplied) {
            if (v == null) {
                continue;
            }
            addForms(all, v);
            Matcher m = SCHEME_CREDENTIAL.matcher(v);
            if (m.matches()) {
                addForms(all, m.group(2)); // "Bearer x", "Basic x", "Token x": the credential alone
                if (m.group(1).equalsIgnoreCase("basic")) {
                    String decoded = base64Text(m.group(2).strip());
                    if (decoded != null) {
                        addForms(all, decoded);
                        addForms(all, decoded.substring(decoded.indexOf(':') + 1)); // the password
                    }
                }
            }
            if (v.contains("=")) {
                for (String part : v.split("[;,&]")) {
                    addForms(all, part.substring(part.indexOf('=') + 1).strip()); // cookie-like a=b; c=d
                }
            }
        }
        all.removeIf(s -> s.length() < MIN_LENGTH);
        return new Secrets(all.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList());
    }

    private static void addForms(Set<String> all, String v) {
        if (v.length() < MIN_LENGTH) {
            return;
        }
        all.add(v);
        all.add(v.replace("\\", "\\\\").replace("\"", "\\\"")); // inside a JSON string
        all.add(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
        try {
            all.add(URLDecoder.decode(v, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not percent-encoded
        }
        String b64 = Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
        all.add(b64.replace("=", "")); // matches padded and unpadded
    }

    private static String base64Text(String s) {
        try {
            String t = new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
            return t.chars().allMatch(c -> c >= 32 && c != 127) ? t : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The length of the longest secret, 0 when there is none. */
    public int longest() {
        return values.isEmpty() ? 0 : values.getFirst().length();
    }

    /**
     * The text with every secret replaced by {@link #MARK} and every URL's query string by
     * {@code ?…}; null stays null. Cut text to length only after this, or a secret's first half
     * could survive the cut.
     */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = text;
        for (String v : values) {
            if (s.contains(v)) {
                s = s.replace(v, MARK);
            }
        }
        if (s.contains("...") || s.contains("…")) {
            s = scrubCutPrefixes(s);
        }
        if (s.indexOf("://") >= 0 && s.indexOf('?') >= 0) {
            s = URL_QUERY.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "?…");
        }
        return s;
    }

    /**
     * Replaces the first part of a secret that a library cut short before harvest saw the text
     * (a parser quoting the body as {@code "...apikey-7f..."}): a piece of at least
     * {@link #MIN_LENGTH} characters that starts a secret and ends where the text says it was cut.
     */
    private String scrubCutPrefixes(String s) {
        StringBuilder sb = new StringBuilder(s);
        for (String cut : List.of("...", "…")) {
            for (int at = sb.indexOf(cut); at >= 0; at = sb.indexOf(cut, at + 1)) {
                for (String v : values) {
                    int start = longestCutPrefix(sb, at, v);
                    if (start >= 0) {
                        sb.replace(start, at, MARK);
                        at = start + MARK.length();
                        break;
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Where the longest piece of {@code text} ending at {@code end} that starts {@code v} begins, or -1. */
    private static int longestCutPrefix(CharSequence text, int end, String v) {
        char first = v.charAt(0);
        for (int start = Math.max(0, end - v.length() + 1); start <= end - MIN_LENGTH; start++) {
            if (text.charAt(start) == first && regionMatches(text, start, v, end - start)) {
                return start;
            }
        }
        return -1;
    }

    private static boolean regionMatches(CharSequence text, int start, String v, int length) {
        for (int i = 0; i < length; i++) {
            if (text.charAt(start + i) != v.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a value the operator supplied holds something no HTTP header can carry (a newline, a tab...). */
    public static boolean unsendable(String value) {
        return value.chars().anyMatch(c -> c < 32 || c == 127 || c > 255);
    }
}
