package dev.harvest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.config.JobConfig;
import dev.harvest.config.Setting;
import dev.harvest.config.SettingsLoader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of what is scrubbed from text harvest writes, and how. */
class SecretsTest {
    private final Secrets secrets = Secrets.of(List.of("tok-abc123def", "Basic " + b64("alice:pa55-word"),
            "session=cookie-val-77; theme=dark", "a\"b\\c/d-quoted"));

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theValueAndTheFormsAServerEchoesItInAreScrubbed() {
        assertEquals("Authorization: Bearer <redacted>", secrets.scrub("Authorization: Bearer tok-abc123def"));
        assertFalse(secrets.scrub("seen " + b64("tok-abc123def")).contains(b64("tok-abc123def").replace("=", "")));
        assertEquals("{\"user\":\"alice\",\"password\":\"<redacted>\"}",
                secrets.scrub("{\"user\":\"alice\",\"password\":\"pa55-word\"}"));
        assertEquals("cookies: {\"session\": \"<redacted>\"}", secrets.scrub("cookies: {\"session\": \"cookie-val-77\"}"));
        assertEquals("\"<redacted>\"", secrets.scrub("\"a\\\"b\\\\c\\/d-quoted\""), "JSON-escaped, even with \\/");
    }

    @Test
    void shortValuesAreNotHuntedInFreeText() {
        Secrets s = Secrets.of(List.of("1", "true", "json", "dark"));
        assertEquals(List.of(), s.values());
        assertEquals("HTTP 500: true json 1", s.scrub("HTTP 500: true json 1"));
    }

    @Test
    void aSecretCutShortByALibraryIsScrubbedToo() {
        assertEquals("[Source: \"x <redacted>...\"; line: 1]", secrets.scrub("[Source: \"x tok-abc1...\"; line: 1]"));
        assertEquals("tok-a...", secrets.scrub("tok-a..."), "too short a piece to tell");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.example.com/v1/c/1?api_key=zz&x=1", "HTTP://h:8080/c?k=v", "ws://h/c?k=v"})
    void everyUrlsQueryIsHidden(String url) {
        String s = Secrets.NONE.scrub("got " + url + " from \"" + url + "\"");
        assertFalse(s.contains("k=") || s.contains("api_key"), s);
        assertTrue(s.contains("?… from"), s);
    }

    @Test
    void theJobsSecretsAreEveryHeaderButTheHarmlessOnesTheTokenAndTheQueryValues() throws Exception {
        JobConfig job = JobConfig.from(SettingsLoader.load(List.of(
                new Setting("input", "ids.txt", "--input"),
                new Setting("url", "https://h/c?api_key=query-secret-1&id={id}", "--url"),
                new Setting("header", "X-Passphrase: passphrase-1", "--header"),
                new Setting("header", "X-Hub-Signature-256: sha256=abcdef012345", "--header"),
                new Setting("header", "User-Agent: my-agent/1.0", "--header"),
                new Setting("token-env", "T", "--token-env")), java.util.Map.of()), java.util.Map.of("T", "token-value-1"));
        String text = "passphrase-1 sha256=abcdef012345 token-value-1 query-secret-1 my-agent/1.0";
        assertEquals("<redacted> <redacted> <redacted> <redacted> my-agent/1.0", job.secrets().scrub(text));
        String shown = job.describe().toString();
        assertFalse(shown.contains("passphrase-1") || shown.contains("abcdef012345") || shown.contains("query-secret"), shown);
        assertTrue(shown.contains("User-Agent: my-agent/1.0"), shown);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Passphrase", "X-Jwt", "X-Signature", "X-Hub-Signature-256", "Authorization", "Cookie",
            "X-Api-Key", "Proxy-Authorization", "X-Amz-Security-Token", "Private-Token", "X-Whatever"})
    void headersAreSecretUnlessKnownHarmless(String name) {
        assertEquals(name + ": <redacted>", new RequestHeader(name, "value-123456").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Accept", "accept-language", "User-Agent", "Content-Type", "Cache-Control"})
    void harmlessHeadersAreShown(String name) {
        assertEquals(name + ": value-123456", new RequestHeader(name, "value-123456").toString());
    }
}
