package dev.harvest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlTemplateTest {

    @ParameterizedTest
    @ValueSource(strings = {"../admin", "a/b", "x?y=1#z", "%2e%2e", "é", "with space", "..", ".", "a;b", "@evil.com", "C1"})
    void anIdStaysInItsPathSegment(String id) {
        URI u = UrlTemplate.parse("https://api.example.com/v1/customers/{id}?full=1").expand(id);
        assertEquals("api.example.com", u.getHost());
        assertEquals("full=1", u.getRawQuery());
        assertEquals(null, u.getRawFragment());
        String path = u.getRawPath();
        assertTrue(path.startsWith("/v1/customers/"), path);
        String segment = path.substring("/v1/customers/".length());
        assertTrue(!segment.contains("/") && !segment.equals("..") && !segment.equals("."), segment);
        assertEquals(id, URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://x/customers", "ftp://x/{id}", "file:///etc/{id}", "https://{id}.example.com/",
            "https://x/{id}/{id}", "not a url {id}", "/customers/{id}",
            "https://x/c#{id}", "https://x/c/{id}#top", "https://x:99999/{id}", "https://x:0/{id}", "https://u:p@x/{id}",
            "https://x:{id}/c", "https://u:{id}@x/c", "{id}://x/c"})
    void badTemplatesAreConfigErrors(String template) {
        assertThrows(IllegalArgumentException.class, () -> UrlTemplate.parse(template));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://x/c?apikey=SECRET&id={id}"})
    void theQueryIsNeverShown(String template) {
        assertTrue(!UrlTemplate.parse(template).toString().contains("SECRET"));
    }
}
