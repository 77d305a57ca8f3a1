package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The live progress line follows stderr, not stdout or stdin; --progress / --no-progress force it. */
@Tag("slow")
class TerminalTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void stderrATerminalShowsItWhateverStdoutAndStdinAre() {
        // stdout to a file or stdin from a pipe: Java's console says no, fd 2 says yes.
        assertTrue(Terminal.decide(null, false, true, "xterm", true, false));
        assertTrue(Terminal.decide(null, false, true, "xterm", true, true));
        // stderr redirected: no redraws, even with stdout on a terminal.
        assertFalse(Terminal.decide(null, false, true, "xterm", false, true));
        // where fd 2 cannot be checked, the console's answer stands
        assertTrue(Terminal.decide(null, false, true, null, null, true));
        assertFalse(Terminal.decide(null, false, true, null, null, false));
    }

    @Test
    void quietDumbOrAnotherStreamShowNothing() {
        assertFalse(Terminal.decide(null, true, true, "xterm", true, true));
        assertFalse(Terminal.decide(null, false, true, "dumb", true, true));
        assertFalse(Terminal.decide(null, false, false, "xterm", true, true));
    }

    @Test
    void theFlagsForceIt() {
        assertTrue(Terminal.decide(true, false, false, "dumb", false, false));
        assertTrue(Terminal.decide(true, true, true, null, null, false));
        assertFalse(Terminal.decide(false, false, true, "xterm", true, true));
    }

    /** A response that takes 2 s: the line (drawn every 0.5 s) shows up when forced, never otherwise. */
    @Test
    void progressDrawsOnANonTerminalAndNoProgressWins() throws Exception {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse().withFixedDelay(2000)
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        Path in = Files.writeString(dir.resolve("ids.txt"), "A\n");
        String[] base = {"--input", in.toString(), "--url", server.baseUrl() + "/c/{id}"};
        Harvest.Result forced = Harvest.run(Map.of(), concat(base, "--out", out("a"), "--progress"));
        assertEquals(0, forced.exitCode(), forced.stderr());
        assertTrue(forced.stderr().contains("\r"), forced.stderr());
        Harvest.Result auto = Harvest.run(Map.of(), concat(base, "--out", out("b")));
        assertFalse(auto.stderr().contains("\r"), auto.stderr());
        Harvest.Result off = Harvest.run(Map.of("HARVEST_PROGRESS", "true"), concat(base, "--out", out("c"), "--no-progress"));
        assertEquals(0, off.exitCode(), off.stderr());
        assertFalse(off.stderr().contains("\r"), off.stderr());
    }

    private String out(String name) throws Exception {
        return Files.createDirectory(dir.resolve(name)).toString();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
