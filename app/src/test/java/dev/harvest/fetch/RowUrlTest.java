package dev.harvest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Per-row URLs: only absolute http/https URLs with a host are ever requested. */
class RowUrlTest {

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "FILE:/etc/passwd", "ftp://example.com/x", "javascript:alert(1)",
            "data:text/plain,hi", "gopher://example.com/", "jar:file:/x.jar!/a", "mailto:a@example.com",
            "http:/no-host", "http:///path", "https:opaque", "//example.com/relative", "/etc/passwd", "../x",
            "example.com/x", "http://exa mple.com/", "http://[::1", "", "   ", "\u0000",
            "http://user:secret@example.com/x"})
    void anythingButAnAbsoluteHttpUrlWithAHostIsRefused(String raw) {
        RowUrl.InvalidUrlException e = assertThrows(RowUrl.InvalidUrlException.class, () -> RowUrl.parse(raw));
        assertTrue(!e.getMessage().contains("secret"), "never repeats credentials: " + e.getMessage());
    }

    @Test
    void theReasonSaysWhatIsWrong() {
        assertEquals("scheme 'file' is not allowed; only http and https are",
                assertThrows(RowUrl.InvalidUrlException.class, () -> RowUrl.parse("file:///etc/passwd")).getMessage());
        assertEquals("no URL in the row", assertThrows(RowUrl.InvalidUrlException.class, () -> RowUrl.parse(null)).getMessage());
        assertTrue(assertThrows(RowUrl.InvalidUrlException.class, () -> RowUrl.parse("x".repeat(9000))).getMessage()
                .contains("longer than"));
    }

    @Test
    void httpAndHttpsUrlsPassWithoutTheirFragment() throws Exception {
        assertEquals(URI.create("https://example.com/a/b.pdf?x=1"), RowUrl.parse(" https://example.com/a/b.pdf?x=1#page=2 "));
        assertEquals(URI.create("HTTP://127.0.0.1:8080/x"), RowUrl.parse("HTTP://127.0.0.1:8080/x"));
    }
}
