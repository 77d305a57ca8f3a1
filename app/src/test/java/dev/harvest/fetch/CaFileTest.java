package dev.harvest.fetch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.harvest.Harvest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ca-file}: an HTTPS server whose certificate is signed by a CA made here (with the
 * running JDK's keytool) is refused as {@code tls} by default, trusted with the CA's PEM file, and
 * still refused for a host name its certificate does not name; a bad file is exit 2.
 */
@Tag("slow")
class CaFileTest {
    private static final List<String> IDS = List.of("A1", "A2", "A3", "A4", "A5");

    @TempDir
    static Path pki;
    static Path caPem;
    static WireMockServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        TestCertificates pki = TestCertificates.make(CaFileTest.pki);
        caPem = pki.caPem();
        server = new WireMockServer(pki.httpsOnly(wireMockConfig()));
        server.start();
        server.stubFor(get(urlPathMatching("/c/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    private Harvest.Result run(String host, String... extra) throws IOException {
        Path out = Files.createDirectories(dir.resolve("out-" + host + "-" + extra.length));
        Path input = Harvest.idFile(dir, "ids.txt", null, IDS);
        List<String> args = new ArrayList<>(List.of("--input", input.toString(),
                "--url", "https://" + host + ":" + server.httpsPort() + "/c/{id}", "--out", out.toString()));
        args.addAll(List.of(extra));
        return Harvest.run(args.toArray(String[]::new));
    }

    private Path out(String host, int extras) {
        return dir.resolve("out-" + host + "-" + extras);
    }

    @Test
    void anInternalCaIsRefusedByDefaultAsTlsWithoutRetries() throws Exception {
        Harvest.Result r = run("localhost");

        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        List<String> failed = Harvest.lines(Harvest.only(out("localhost", 0), "failed-"));
        assertEquals(IDS.size() + 1, failed.size(), String.join("\n", failed));
        for (String row : failed.subList(1, failed.size())) {
            assertTrue(row.matches("A\\d,tls,,1,false,.*"), "tls, one attempt, not retryable: " + row);
        }
    }

    @Test
    void withTheCaFileEveryIdSucceeds() throws Exception {
        Harvest.Result r = run("localhost", "--ca-file", caPem.toString());

        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertEquals(IDS.size(), Harvest.lines(Harvest.only(out("localhost", 2), "results-")).size());
        assertEquals(1, Harvest.lines(Harvest.only(out("localhost", 2), "failed-")).size(), "header only");
    }

    @Test
    void theCaFileAddsToTheDefaultTrustAndKeepsTheHostNameCheck() throws Exception {
        // Same server, same CA, but reached as 127.0.0.1, which its certificate does not name.
        Harvest.Result r = run("127.0.0.1", "--ca-file", caPem.toString());

        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        List<String> failed = Harvest.lines(Harvest.only(out("127.0.0.1", 2), "failed-"));
        assertEquals(IDS.size() + 1, failed.size(), String.join("\n", failed));
        assertTrue(failed.get(1).matches("A\\d,tls,,1,false,.*"), failed.get(1));
    }

    @Test
    void aBadCaFileIsExitTwoNamingTheFile() throws Exception {
        String pem = Files.readString(caPem);
        Path missing = dir.resolve("missing.pem");
        Path text = Files.writeString(dir.resolve("text.pem"), "not a certificate\n");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path garbled = Files.writeString(dir.resolve("garbled.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path cut = Files.writeString(dir.resolve("cut.pem"), pem.substring(0, pem.indexOf("-----END")));
        Path withKey = Files.writeString(dir.resolve("key.pem"),
                pem + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Path big = Files.write(dir.resolve("big.pem"), new byte[(1 << 20) + 1]);
        Path directory = Files.createDirectory(dir.resolve("dir.pem"));
        List<List<String>> cases = List.of(
                List.of(missing.toString(), "no such file"),
                List.of(text.toString(), "no PEM certificate"),
                List.of(empty.toString(), "no PEM certificate"),
                List.of(garbled.toString(), "certificate 1 is not a valid X.509 certificate"),
                List.of(cut.toString(), "certificate 1 has no END CERTIFICATE line"),
                List.of(withKey.toString(), "holds a private key"),
                List.of(big.toString(), "larger than 1 MiB"),
                List.of(directory.toString(), "is a directory"));
        int before = server.getAllServeEvents().size();
        for (List<String> c : cases) {
            Path out = Files.createDirectories(dir.resolve("bad-out"));
            Harvest.Result r = Harvest.run("--input", Harvest.idFile(dir, "ids.txt", null, IDS).toString(),
                    "--url", "https://localhost:" + server.httpsPort() + "/c/{id}", "--out", out.toString(), "--ca-file", c.get(0));
            assertEquals(2, r.exitCode(), c + ": " + r.stderr());
            assertEquals(1, r.stderr().lines().count(), "one line: " + r.stderr());
            assertTrue(r.stderr().startsWith("harvest: error: --ca-file " + c.get(0) + ": " + c.get(1)),
                    c + ": " + r.stderr());
            assertEquals(List.of(), Harvest.names(out), "no file created");
        }
        assertEquals(before, server.getAllServeEvents().size(), "no request sent");
    }
}
