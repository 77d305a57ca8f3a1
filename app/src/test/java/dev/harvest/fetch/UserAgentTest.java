package dev.harvest.fetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every request says who sends it: {@code harvest/<version>} unless the operator names another agent. */
class UserAgentTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private Path input;

    @BeforeEach
    void ids() throws Exception {
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        input = Files.writeString(dir.resolve("ids.txt"), "A\nB\n");
    }

    /** The User-Agent values of every request the server saw. */
    private List<List<String>> agents(Map<String, String> env, String... extra) {
        server.resetRequests();
        String[] base = {"--input", input.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", dir.toString(), "-q",
                "--results", dir.resolve("r" + System.nanoTime() + ".jsonl").toString()};
        Harvest.Result r = Harvest.run(env, Stream.concat(Stream.of(base), Stream.of(extra)).toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        List<ServeEvent> events = server.getAllServeEvents();
        assertEquals(2, events.size());
        return events.stream().map(e -> e.getRequest().getHeaders().getHeader("User-Agent").values()).toList();
    }

    @Test
    void byDefaultHarvestAndItsVersion() {
        for (List<String> agent : agents(Map.of())) {
            assertEquals(1, agent.size(), agent.toString());
            assertTrue(agent.getFirst().matches("harvest/\\d+\\.\\d+\\.\\d+.*"), agent.toString());
        }
    }

    @Test
    void userAgentReplacesIt() {
        String mine = "acme-nightly/2.1 (+mailto:ops@acme.example)";
        assertEquals(List.of(List.of(mine), List.of(mine)), agents(Map.of(), "--user-agent", mine));
        assertEquals(List.of(List.of("from-env"), List.of("from-env")), agents(Map.of("HARVEST_USER_AGENT", "from-env")));
    }

    @Test
    void aUserAgentHeaderReplacesItToo() {
        assertEquals(List.of(List.of("curl-like/1"), List.of("curl-like/1")), agents(Map.of(), "--header", "User-Agent: curl-like/1"));
        assertEquals(List.of(List.of("lower/1"), List.of("lower/1")), agents(Map.of(), "--header", "user-agent: lower/1"));
    }

    @Test
    void bothOrAnUnsendableOneIsExitTwo() throws Exception {
        Path out = Files.createDirectory(dir.resolve("o"));
        Harvest.Result both = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "--user-agent", "a/1", "--header", "User-Agent: b/1");
        assertEquals(2, both.exitCode(), both.stderr());
        assertTrue(both.stderr().contains("--user-agent"), both.stderr());
        Harvest.Result bad = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "--user-agent", "a\u0001b");
        assertEquals(2, bad.exitCode(), bad.stderr());
        assertTrue(bad.stderr().startsWith("harvest: error: --user-agent"), bad.stderr());
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(0, left.count(), "nothing written");
        }
    }
}
