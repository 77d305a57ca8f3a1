package dev.harvest.shape;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Download mode end to end: bytes on disk exactly as served, safe names, limits, the results manifest. */
@Tag("slow")
class DownloadModeTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;
    Path out;
    Path dl;

    @BeforeEach
    void dirs() throws Exception {
        out = Files.createDirectory(dir.resolve("out"));
        dl = Files.createDirectory(dir.resolve("dl"));
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private void serve(String path, byte[] body, String type) {
        server.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withHeader("Content-Type", type).withBody(body)));
    }

    @Test
    void binaryBodiesLandByteForByteUnderSafeNames() throws Exception {
        Map<String, byte[]> bodies = new HashMap<>();
        String[] ids = {"plain", "../../escape", "/etc/passwd", "CON", ".hidden", "a/b\\c", "dup", "dup", "-rf", "x\u202Eexe.pdf"};
        StringBuilder input = new StringBuilder("id,url\n");
        for (int i = 0; i < ids.length; i++) {
            byte[] body = random(i == 0 ? 700_000 : 1 + i * 997, i);
            bodies.put("/files/" + i, body);
            serve("/files/" + i, body, i % 2 == 0 ? "application/pdf" : "application/octet-stream");
            input.append('"').append(ids[i].replace("\"", "\"\"")).append("\",").append(server.baseUrl()).append("/files/").append(i).append('\n');
        }
        Path in = Shapes.write(dir.resolve("ids.csv"), input.toString());
        List<String> flags = List.of("--input", in.toString(), "--url-column", "url", "--save-to", dl.toString(),
                "--file-name", "{id}.bin", "--out", out.toString(), "--format", "csv", "-q");

        Harvest.Result r = Harvest.run(flags.toArray(String[]::new));

        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        List<String[]> all = Shapes.csv(Harvest.only(out, "results-"));
        assertArrayEquals(new String[] {"id", "url", "path", "bytes", "sha256", "content_type", "http_status"}, all.getFirst());
        List<String> paths = new ArrayList<>();
        for (String[] row : all.subList(1, all.size())) {
            Path file = Path.of(row[2]);
            assertEquals(dl, file.getParent(), "inside --save-to: " + row[2]);
            String urlPath = row[1].substring(server.baseUrl().length());
            byte[] expected = bodies.get(urlPath);
            assertArrayEquals(expected, Files.readAllBytes(file), row[0] + " byte for byte");
            assertEquals(String.valueOf(expected.length), row[3]);
            assertEquals(Shapes.sha256(expected), row[4]);
            assertEquals("200", row[6]);
            paths.add(file.getFileName().toString());
        }
        assertEquals(ids.length, paths.size());
        assertTrue(paths.containsAll(List.of("plain.bin", "_.._escape.bin", "_etc_passwd.bin", "_CON.bin", "hidden.bin",
                "a_b_c.bin", "dup.bin", "dup~2.bin", "rf.bin", "x_exe.pdf.bin")), paths.toString());
        assertEquals(List.of("dl", "ids.csv", "out"), Harvest.names(dir), "nothing written outside --out and --save-to");
        assertEquals(paths.stream().sorted().toList(), Harvest.names(dl), "no temporary files left");
        assertEquals("verify: 10 lines: 10 in results, 0 in failed, 0 skipped; 0 missing, 0 duplicated",
                Shapes.assertVerified(Harvest.only(out, "results-"), Harvest.only(out, "failed-"), flags));
    }

    @Test
    void namesFromTheUrlCollideDeterministicallyAndLimitsFailCleanly() throws Exception {
        serve("/a/report.pdf", random(5000, 1), "application/pdf");
        serve("/b/report.pdf", random(6000, 2), "application/pdf");
        serve("/big/huge.iso", random(300_000, 3), "application/octet-stream");
        server.stubFor(get(urlEqualTo("/empty/nothing.pdf")).willReturn(aResponse().withStatus(200)));
        server.stubFor(get(urlEqualTo("/gone/x.pdf")).willReturn(aResponse().withStatus(404).withBody("no")));
        Path in = Shapes.write(dir.resolve("urls.txt"), String.join("\n", // a plain list: no header
                server.baseUrl() + "/a/report.pdf", server.baseUrl() + "/b/report.pdf", server.baseUrl() + "/big/huge.iso",
                server.baseUrl() + "/empty/nothing.pdf", server.baseUrl() + "/gone/x.pdf", "file:///etc/passwd") + "\n");
        List<String> flags = List.of("--input", in.toString(), "--url-column", "1", "--save-to", dl.toString(),
                "--out", out.toString(), "--max-body", "100KiB", "-q");

        Harvest.Result r = Harvest.run(flags.toArray(String[]::new));

        assertEquals(1, r.exitCode(), r.stderr());
        Map<String, JsonNode> byId = new HashMap<>();
        Shapes.jsonl(Harvest.only(out, "results-")).forEach(n -> byId.put(n.get("id").asText(), n));
        assertEquals(dl.resolve("report.pdf").toString(), byId.get(server.baseUrl() + "/a/report.pdf").get("path").asText());
        assertEquals(dl.resolve("report~2.pdf").toString(), byId.get(server.baseUrl() + "/b/report.pdf").get("path").asText());
        assertArrayEquals(random(6000, 2), Files.readAllBytes(dl.resolve("report~2.pdf")));
        Map<String, String> reasons = new HashMap<>();
        Shapes.rows(Harvest.only(out, "failed-")).forEach(row -> reasons.put(row[0], row[1]));
        assertEquals(Map.of(server.baseUrl() + "/big/huge.iso", "body_too_large", server.baseUrl() + "/empty/nothing.pdf",
                "empty_body", server.baseUrl() + "/gone/x.pdf", "http_404", "file:///etc/passwd", "invalid_url"), reasons);
        assertEquals(List.of("report.pdf", "report~2.pdf"), Harvest.names(dl), "no partial or empty file kept");
        Shapes.assertVerified(Harvest.only(out, "results-"), Harvest.only(out, "failed-"), flags);
    }

    /** A body far larger than the child JVM's heap still downloads: it is streamed, never held whole. */
    @Test
    void aBodyLargerThanTheHeapIsStreamedToDisk() throws Exception {
        long size = 160L << 20;
        HttpServer big = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        big.createContext("/big.bin", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, 0); // chunked: no declared length
            try (OutputStream o = ex.getResponseBody()) {
                Random rnd = new Random(42);
                byte[] chunk = new byte[1 << 16];
                for (long sent = 0; sent < size; sent += chunk.length) {
                    rnd.nextBytes(chunk);
                    o.write(chunk);
                }
            }
        });
        big.start();
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Random rnd = new Random(42);
            byte[] chunk = new byte[1 << 16];
            for (long sent = 0; sent < size; sent += chunk.length) {
                rnd.nextBytes(chunk);
                md.update(chunk);
            }
            String expected = HexFormat.of().formatHex(md.digest());
            Path in = Shapes.write(dir.resolve("ids.csv"), "id,url\nB1,http://127.0.0.1:" + big.getAddress().getPort() + "/big.bin\n");
            List<String> cmd = new ArrayList<>(Harvest.childCommand("--input", in.toString(), "--url-column", "url",
                    "--save-to", dl.toString(), "--out", out.toString(), "--max-body", "1GiB", "--timeout", "120s", "-q"));
            cmd.replaceAll(a -> a.equals("-Xmx256m") ? "-Xmx48m" : a);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            assertTrue(p.waitFor(180, TimeUnit.SECONDS), "finished");
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("child.log")));
            Path file = dl.resolve("big.bin");
            assertEquals(size, Files.size(file));
            JsonNode row = Shapes.jsonl(Harvest.only(out, "results-")).getFirst();
            assertEquals(expected, row.get("sha256").asText(), "SHA-256 computed while streaming");
            try (Stream<Path> s = Files.list(dl)) {
                assertEquals(1, s.count());
            }
            assertFalse(Files.readString(Harvest.only(out, "harvest-")).contains("OutOfMemoryError"));
        } finally {
            big.stop(0);
        }
    }
}
