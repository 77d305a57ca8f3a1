package dev.harvest.config;

import dev.harvest.fetch.BearerToken;
import java.nio.file.Path;
import java.util.Map;

/** Reads the bearer token from --token-env or --token-file; the token itself is never shown. */
final class TokenParser {
    /** Largest token file read. */
    private static final int MAX_TOKEN_BYTES = 64 << 10;

    private TokenParser() {
    }

    /** The token, or null when none is configured. */
    static BearerToken parse(SettingReader r, Map<String, String> env) throws ConfigException {
        String var = r.value("token-env");
        String file = r.value("token-file");
        if (var != null && file != null) {
            throw new ConfigException("give --token-env or --token-file, not both");
        }
        if (var != null) {
            String v = env.get(var);
            if (v == null || v.isBlank()) {
                throw new ConfigException("--token-env " + var + ": that environment variable is not set or empty");
            }
            return checkedToken(v, "$" + var, "--token-env " + var);
        }
        if (file != null) {
            String v = BoundedFile.read(Path.of(file), "--token-file " + file, MAX_TOKEN_BYTES, "64 KiB");
            if (v.isBlank()) {
                throw new ConfigException("--token-file " + file + ": the file is empty");
            }
            return checkedToken(v, file, "--token-file " + file);
        }
        return null;
    }

    /**
     * The token without one trailing newline (files end with one; so do Kubernetes secrets read into
     * a variable) and surrounding spaces; what is left must be one word of visible ASCII (RFC 6750's
     * token68 and then some). Anything else would fail every request, with the token in the
     * client's message. The token is never shown.
     */
    private static BearerToken checkedToken(String raw, String source, String what) throws ConfigException {
        String value = raw.endsWith("\r\n") ? raw.substring(0, raw.length() - 2)
                : raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
        value = value.replaceAll("^ +| +$", ""); // spaces only: strip() would take a second newline too
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new ConfigException(what + ": the token has a space, a line break, a control or a non-ASCII"
                        + " character at position " + (i + 1) + " (a bearer token is one word of visible ASCII;"
                        + " the token is not shown)");
            }
        }
        return new BearerToken(value, source);
    }
}
