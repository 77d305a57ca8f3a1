package dev.harvest.fetch;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a downloaded file is named ({@code --file-name}): literal text with {@code {id}} (the input
 * ID) and {@code {name}} (the URL's last path segment, percent-decoded). The expansion is only raw
 * text: {@link SafeFileName} makes it a safe single file name afterwards.
 */
public final class FileNameTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

    private final String template;

    private FileNameTemplate(String template) {
        this.template = template;
    }

    /** The default: the URL's last path segment (or the ID when the path ends in '/'). */
    public static FileNameTemplate urlName() {
        return new FileNameTemplate("{name}");
    }

    /**
     * Checks a template.
     *
     * @ for an unknown placeholder, a path (a '/' or '\'), or no placeholder
     *                         at all (every file would get the same name)
     */
    public static FileNameTemplate parse(String template) {
        String t = template.strip();
        if (t.indexOf('/') >= 0 || t.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("--file-name must be a file name, not a path: '" + t + "'");
        }
        Matcher m = PLACEHOLDER.matcher(t);
        boolean any = false;
        while (m.find()) {
            if (!m.group(1).equals("id") && !m.group(1).equals("name")) {
                throw new IllegalArgumentException("--file-name: unknown placeholder {" + m.group(1) + "} (use {id} or {name})");
            }
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException("--file-name must contain {id} or {name}, or every file would get the same name: '" + t + "'");
        }
        return new FileNameTemplate(t);
    }

    /** The raw (unsanitised) name for one ID and URL. */
    public String expand(String id, URI uri) {
        String name = lastSegment(uri);
        if (name.isEmpty()) {
            name = id;
        }
        return template.replace("{id}", id).replace("{name}", name);
    }

    /** The last segment of the URL's path, percent-decoded as UTF-8 (kept raw when that fails). */
    static String lastSegment(URI uri) {
        String path = uri.getRawPath();
        if (path == null) {
            return "";
        }
        String raw = path.substring(path.lastIndexOf('/') + 1);
        return decode(raw);
    }

    /** Percent-decodes one path segment ('+' is a plus in a path, not a space); malformed escapes stay raw. */
    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    @Override
    public String toString() {
        return template;
    }
}
