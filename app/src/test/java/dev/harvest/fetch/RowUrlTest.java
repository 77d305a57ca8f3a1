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

    @Test
    void aPortOutOfRangeOrAHostDnsCannotHoldIsInvalid() {
        assertEquals("port 99999 is out of range (1 to 65535)",
                assertThrows(RowUrl.InvalidUrlException.class, () -> RowUrl.parse("http://example.com:99999/x")).getMessage());
        assertEquals("port 0 is out of range (1 to 65535)",
                assertThrows(RowUrl.InvalidUrlException.class, () -> RowUrl.parse("http://example.com:0/x")).getMessage());
        assertEquals("the host or port is not valid",
                assertThrows(RowUrl.InvalidUrlException.class, () -> RowUrl.parse("http://example.com:99999999999/x")).getMessage());
        assertEquals("the host or port is not valid",
                assertThrows(RowUrl.InvalidUrlException.class, () -> RowUrl.parse("http://999.1.1.1/x")).getMessage());
        assertEquals("a label of the host name is longer than 63 characters",
                assertThrows(RowUrl.InvalidUrlException.class, () -> RowUrl.parse("http://" + "a".repeat(64) + ".com/")).getMessage());
        assertEquals("the host name is longer than 253 characters", assertThrows(RowUrl.InvalidUrlException.class,
                () -> RowUrl.parse("http://" + "abcdefghi.".repeat(26) + "com/")).getMessage());
    }

    @Test
    void portsAndHostsAtTheLimitsPass() throws Exception {
        assertEquals(65535, RowUrl.parse("http://example.com:65535/x").getPort());
        assertEquals(1, RowUrl.parse("http://example.com:1/x").getPort());
        assertEquals("[::1]", RowUrl.parse("http://[::1]:8080/x").getHost());
        String host = "a".repeat(63) + ".com";
        assertEquals(host, RowUrl.parse("http://" + host + "/x").getHost());
    }
}
