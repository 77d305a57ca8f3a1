package dev.harvest.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and a server certificate it signed for {@code localhost} only (not 127.0.0.1), made
 * with the running JDK's keytool.
 *
 * @param caPem      the CA certificate, PEM
 * @param serverKeys the server's key and certificate chain, PKCS12 with password {@link #PASSWORD}
 */
record TestCertificates(Path caPem, Path serverKeys) {
    static final String PASSWORD = "changeit";

    static TestCertificates make(Path dir) throws IOException, InterruptedException {
        Path ca = dir.resolve("ca.p12");
        Path keys = dir.resolve("server.p12");
        Path caPem = dir.resolve("ca.pem");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", "CN=harvest test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost",
                "-validity", "2", "-keystore", keys.toString());
        keytool("-certreq", "-alias", "server", "-keystore", keys.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-validity", "2",
                "-ext", "san=dns:localhost", "-infile", csr.toString(), "-outfile", cert.toString());
        // The reply is installed only once its issuer is known.
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", keys.toString(), "-file", caPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-keystore", keys.toString(), "-file", cert.toString());
        return new TestCertificates(caPem, keys);
    }

    /** WireMock serving HTTPS only (HTTP/2 by ALPN, or HTTP/1.1) with the server certificate. */
    WireMockConfiguration httpsOnly(WireMockConfiguration config) {
        return config.httpDisabled(true).dynamicHttpsPort()
                .keystorePath(serverKeys.toString()).keystoreType("PKCS12")
                .keystorePassword(PASSWORD).keyManagerPassword(PASSWORD);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + output);
    }
}
