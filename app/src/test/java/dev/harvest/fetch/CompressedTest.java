package dev.harvest.fetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --compressed asks for gzip, writes the inflated body, and applies --max-body to the inflated size. */
@Tag("slow")
class CompressedTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().gzipDisabled(true)).build();

    @TempDir
    Path dir;

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(plain);
        }
        return b.toByteArray();
    }

    private static byte[] zeros(int n) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b, 1 << 16)) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < n; i += block.length) {
                gz.write(block);
            }
        }
        return b.toByteArray();
    }

    private void stub(String id, byte[] body) {
        server.stubFor(get(urlEqualTo("/c/" + id)).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withHeader("Content-Encoding", "gzip").withBody(body)));
    }

    @Test
    void gzipBodiesAreWrittenInflated() throws Exception {
        stub("A", gzip("{\"name\":\"ada\",\"n\":1}".getBytes(StandardCharsets.UTF_8)));
        stub("B", gzip(("{\"list\":[" + "1,".repeat(20_000) + "1]}").getBytes(StandardCharsets.UTF_8)));
        server.stubFor(get(urlEqualTo("/c/PLAIN")).willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"plain\":true}")));
        stub("BAD", "this is not gzip at all".getBytes(StandardCharsets.UTF_8));
        Path in = Files.writeString(dir.resolve("ids.txt"), "A\nB\nPLAIN\nBAD\n");
        Path results = dir.resolve("r.jsonl");
        Path failed = dir.resolve("f.csv");
        Harvest.Result r = Harvest.run("--input", in.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", dir.toString(),
                "--results", results.toString(), "--failed", failed.toString(), "--compressed", "--retries", "0", "-q");
        assertEquals(1, r.exitCode(), r.stderr());
        String rows = Files.readString(results);
        assertTrue(rows.contains("{\"name\":\"ada\",\"n\":1}"), rows);
        assertTrue(rows.contains("{\"list\":[" + "1,".repeat(20_000) + "1]}"), "B inflated");
        assertTrue(rows.contains("{\"plain\":true}"), rows);
        assertTrue(Files.readString(failed).contains("BAD,network,,1,"), Files.readString(failed));
        assertTrue(Files.readString(failed).contains("corrupt gzip body"), Files.readString(failed));
        server.getAllServeEvents().forEach(e ->
                assertEquals("gzip", e.getRequest().getHeader("Accept-Encoding"), e.getRequest().getUrl()));
    }

    /** 100 MB of zeros in ~100 KB of gzip: stops at --max-body, in a heap the whole body would not fit. */
    @Test
    void aGzipBombIsBodyTooLargeWithoutInflatingIt() throws Exception {
        byte[] bomb = zeros(100 << 20);
        assertTrue(bomb.length < 200_000, "bomb size " + bomb.length);
        stub("BOMB", bomb);
        stub("OK", gzip("{\"v\":1}".getBytes(StandardCharsets.UTF_8)));
        Path in = Files.writeString(dir.resolve("ids.txt"), "BOMB\nOK\n");
        Path out = Files.createDirectory(dir.resolve("out"));
        Path failed = dir.resolve("f.csv");
        List<String> cmd = new ArrayList<>(Harvest.childCommand("--input", in.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", out.toString(), "--failed", failed.toString(), "--compressed", "--max-body", "1MiB", "-q"));
        cmd.set(cmd.indexOf("-Xmx256m"), "-Xmx48m");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "finished within a minute");
        } finally {
            p.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(1, p.exitValue(), log);
        List<String> rows = Files.readAllLines(failed);
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("BOMB,body_too_large,,1,false,")), rows.toString());
        assertEquals(2, rows.size(), rows.toString()); // header + BOMB: OK was written
        assertTrue(Files.readString(Harvest.only(out, "results-")).contains("{\"v\":1}"));
    }

    @Test
    void withAnAcceptEncodingHeaderOrSaveToItIsExitTwo() throws Exception {
        Path in = Files.writeString(dir.resolve("ids.txt"), "A\n");
        Harvest.Result both = Harvest.run("--input", in.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", dir.toString(),
                "--compressed", "--header", "Accept-Encoding: br");
        assertEquals(2, both.exitCode(), both.stderr());
        assertTrue(both.stderr().contains("--compressed"), both.stderr());
        Harvest.Result download = Harvest.run("--input", in.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", dir.toString(),
                "--compressed", "--save-to", dir.toString());
        assertEquals(2, download.exitCode(), download.stderr());
        assertTrue(download.stderr().contains("--save-to"), download.stderr());
    }
}
