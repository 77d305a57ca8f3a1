package dev.harvest.store;

import java.io.CharArrayReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides a feed body's character encoding as XML over HTTP does (RFC 7303 section 3, XML 1.0
 * appendix F) and decodes it with the JDK's charsets, so that every encoding the JDK knows works,
 * not only the few the XML parser maps itself. The order: a byte order mark; else the HTTP
 * {@code Content-Type} charset; else the XML declaration's {@code encoding}; else UTF-8 (or
 * UTF-16 when the first bytes say so). Bytes that are not valid in the chosen encoding are an
 * error, never silently replaced.
 */
final class FeedCharset {
    private static final Pattern DECLARED = Pattern.compile("^<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:\\-]+)[\"']");
    private static final Pattern HTTP_CHARSET = Pattern.compile("(?i);\\s*charset\\s*=\\s*\"?([^\";\\s]+)");

    private FeedCharset() {
    }

    /**
     * The body as characters, ready for the XML parser (which then ignores the declaration).
     *
     * @param body        the raw body
     * @param contentType the response's Content-Type, or null
     * @throws FeedParser.BadFeedException when the encoding is unknown or the bytes are not valid in it
     */
    static Reader decode(byte[] body, String contentType) throws FeedParser.BadFeedException {
        int bomLength = 0;
        Charset charset;
        String source;
        if (startsWith(body, 0x00, 0x00, 0xFE, 0xFF)) {
            charset = lookup("UTF-32BE", "its byte order mark");
            bomLength = 4;
            source = "its byte order mark";
        } else if (startsWith(body, 0xFF, 0xFE, 0x00, 0x00)) {
            charset = lookup("UTF-32LE", "its byte order mark");
            bomLength = 4;
            source = "its byte order mark";
        } else if (startsWith(body, 0xEF, 0xBB, 0xBF)) {
            charset = StandardCharsets.UTF_8;
            bomLength = 3;
            source = "its byte order mark";
        } else if (startsWith(body, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            bomLength = 2;
            source = "its byte order mark";
        } else if (startsWith(body, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            bomLength = 2;
            source = "its byte order mark";
        } else {
            String http = httpCharset(contentType);
            if (http != null) {
                charset = lookup(http, "the HTTP Content-Type");
                source = "the HTTP Content-Type";
            } else if (startsWith(body, 0x00, 0x00, 0x00, 0x3C)) {
                charset = lookup("UTF-32BE", "its first bytes");
                source = "its first bytes";
            } else if (startsWith(body, 0x3C, 0x00, 0x00, 0x00)) {
                charset = lookup("UTF-32LE", "its first bytes");
                source = "its first bytes";
            } else if (startsWith(body, 0x00, 0x3C, 0x00, 0x3F)) {
                charset = StandardCharsets.UTF_16BE;
                source = "its first bytes";
            } else if (startsWith(body, 0x3C, 0x00, 0x3F, 0x00)) {
                charset = StandardCharsets.UTF_16LE;
                source = "its first bytes";
            } else if (startsWith(body, 0x4C, 0x6F, 0xA7, 0x94)) {
                // "<?xm" in EBCDIC: the declaration itself is EBCDIC, so read it as such
                String declared = declared(body, lookup("IBM037", "its first bytes"));
                charset = lookup(declared == null ? "IBM037" : declared, "the XML declaration");
                source = "the XML declaration";
            } else {
                String declared = declared(body, StandardCharsets.ISO_8859_1);
                charset = declared == null ? StandardCharsets.UTF_8 : lookup(declared, "the XML declaration");
                source = declared == null ? "the default" : "the XML declaration";
            }
        }
        try {
            CharBuffer chars = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body, bomLength, body.length - bomLength));
            return new CharArrayReader(chars.array(), chars.position(), chars.remaining());
        } catch (CharacterCodingException e) {
            throw new FeedParser.BadFeedException("not valid " + charset.name() + " (the encoding named by " + source + ")");
        }
    }

    /** The {@code charset} parameter of a Content-Type, or null. */
    static String httpCharset(String contentType) {
        if (contentType == null) {
            return null;
        }
        Matcher m = HTTP_CHARSET.matcher(contentType);
        return m.find() ? m.group(1) : null;
    }

    /** The encoding named in the XML declaration, read in an ASCII-like (or EBCDIC) charset, or null. */
    private static String declared(byte[] body, Charset asciiLike) {
        int n = Math.min(body.length, 200);
        String head = new String(body, 0, n, asciiLike);
        Matcher m = DECLARED.matcher(head);
        return m.find() ? m.group(1) : null;
    }

    /**
     * A charset by its IANA name or a common alias the web uses ({@code cp1252}, {@code windows_1252},
     * {@code win-1251}, {@code latin-1}, {@code utf8}).
     */
    static Charset lookup(String name, String where) throws FeedParser.BadFeedException {
        String n = name.strip();
        String lower = n.toLowerCase(Locale.ROOT).replace('_', '-');
        String[] candidates = {n, lower, lower.replaceFirst("^(cp|win|windows)-?(125\\d)$", "windows-$2"),
                lower.replaceFirst("^latin-?(\\d)$", "ISO-8859-$1"), lower.replaceFirst("^utf-?(8|16|32)$", "UTF-$1"),
                "x-" + lower};
        for (String c : candidates) {
            try {
                if (Charset.isSupported(c)) {
                    return Charset.forName(c);
                }
            } catch (IllegalCharsetNameException e) {
                // try the next spelling
            }
        }
        throw new FeedParser.BadFeedException("unknown character encoding '" + shorten(n) + "' (named by " + where + ")");
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
