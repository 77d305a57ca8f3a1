package dev.harvest.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never leave harvest except in the request: an endpoint that echoes every request header
 * and the query in its error pages (as httpbin does) must not get them into the failed file, the
 * log, the summary, the metrics or the terminal. A 200 body is the user's data and stays verbatim.
 */
class SecretsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // A JWT-sized token: longer than the failed file's body snippet, so a cut could leave half of it.
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9." + "dG9rZW5wYXlsb2Fk".repeat(10) + ".sig-TOKEN-x1";
    private static final String API_KEY = "apikey-7f3a9c1e5b";
    private static final String PASSPHRASE = "open-sesame-42x";
    private static final String JWT = "jwt-5521-abcd-0ff1";
    private static final String SIGNATURE = "sha256=0d4f1a2b3c4d5e6f7a8b";
    private static final String QUERY_KEY = "qk-93b1f0a7d2";
    private static final List<String> SECRETS = List.of(TOKEN, API_KEY, PASSPHRASE, JWT, SIGNATURE, QUERY_KEY);

    @TempDir
    Path dir;
    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::echo);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Answers with the request's headers and URL: as text (401), httpbin-like JSON (others). */
    private void echo(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        String id = x.getRequestURI().getPath().substring(x.getRequestURI().getPath().lastIndexOf('/') + 1);
        String url = "http://" + x.getRequestHeaders().getFirst("Host") + x.getRequestURI();
        StringBuilder text = new StringBuilder();
        var headers = JSON.createObjectNode();
        x.getRequestHeaders().forEach((k, v) -> {
            text.append(k).append(": ").append(String.join(",", v)).append('\n');
            headers.put(k, String.join(",", v));
        });
        var body = JSON.createObjectNode();
        body.set("headers", headers);
        body.put("url", url);
        body.put("args", x.getRequestURI().getRawQuery());
        int status;
        String answer;
        String type = "application/json";
        switch (id) {
            case "U401" -> {
                status = 401;
                type = "text/plain";
                answer = "Unauthorized. You sent:\n" + text + "url: " + url + "\n";
            }
            case "E500" -> {
                status = 500;
                answer = body.toString();
            }
            case "T503" -> {
                status = 503;
                answer = body.toString();
            }
            case "BADJSON" -> {
                status = 200;
                answer = x.getRequestHeaders().getFirst("X-Api-Key") + " " + text;
            }
            default -> {
                status = 200;
                answer = body.toString();
            }
        }
        byte[] b = answer.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, b.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(b);
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void noSecretReachesAnyFileHarvestWritesNorTheTerminal() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("OK1", "U401", "E500", "T503", "BADJSON"));
        Harvest.Result r = Harvest.run(Map.of("API_TOKEN", TOKEN), "--input", input.toString(),
                "--url", base() + "/e/{id}?api_key=" + QUERY_KEY, "--out", out.toString(),
                "--token-env", "API_TOKEN", "--header", "X-Api-Key: " + API_KEY, "--header", "X-Passphrase: " + PASSPHRASE,
                "--header", "X-Jwt: " + JWT, "--header", "X-Hub-Signature-256: " + SIGNATURE,
                "--header", "Accept: application/json", "--header", "User-Agent: harvest-secrets-test",
                "--retries", "1", "--backoff", "10ms", "--log-level", "debug",
                "--metrics-file", out.resolve("harvest.prom").toString());
        assertEquals(1, r.exitCode(), r.stderr());

        Path results = Harvest.only(out, "results-");
        // The 200 body is the user's data: written as the server sent it, echoed secrets included.
        String data = Files.readString(results);
        assertTrue(data.contains(TOKEN) && data.contains(API_KEY) && data.contains(QUERY_KEY), data);

        List<Path> written;
        try (Stream<Path> s = Files.walk(out)) {
            written = s.filter(Files::isRegularFile).filter(p -> !p.equals(results)).toList();
        }
        List<String> names = written.stream().map(p -> p.getFileName().toString()).toList();
        assertTrue(names.stream().anyMatch(n -> n.startsWith("failed-")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.endsWith(".log")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.startsWith("summary-")), names.toString());
        assertTrue(names.contains("harvest.prom"), names.toString());
        for (Path p : written) {
            assertNoSecret(p.toString(), Files.readString(p));
        }
        assertNoSecret("stdout", r.stdout());
        assertNoSecret("stderr", r.stderr());

        // Still useful: the failed file says what happened, with the secrets marked.
        String failed = Files.readString(Harvest.only(out, "failed-"));
        assertTrue(failed.contains("U401,http_4xx,401"), failed);
        assertTrue(failed.contains("<redacted>"), failed);
        assertTrue(failed.contains("BADJSON,bad_json"), failed);
        String log = Files.readString(written.stream().filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow());
        assertTrue(log.contains("retrying in"), "the retry was logged: " + log);
        // The effective config shows the harmless headers, redacts the rest, and hides the query.
        JsonNode config = JSON.readTree(Files.readString(Harvest.only(out, "summary-"))).get("config");
        String headers = config.get("header").toString();
        assertTrue(headers.contains("User-Agent: harvest-secrets-test") && headers.contains("Accept: application/json"), headers);
        assertTrue(headers.contains("X-Passphrase: <redacted>") && headers.contains("X-Jwt: <redacted>")
                && headers.contains("X-Hub-Signature-256: <redacted>"), headers);
        assertEquals(base() + "/e/{id}?…", config.get("url").asText());
        assertTrue(log.contains("/e/{id}?…"), "the effective config in the log hides the query");
    }

    /** No secret, nor any 12-character piece of one (a secret cut in half still leaks). */
    private static void assertNoSecret(String where, String text) {
        for (String s : SECRETS) {
            for (int i = 0; i + 12 <= s.length(); i++) {
                String piece = s.substring(i, i + 12);
                assertFalse(text.contains(piece), where + " holds part of a secret (" + piece + "):\n" + text);
            }
        }
    }

    @Test
    void credentialsInTheUrlTemplateAreRefusedWithoutRepeatingThem() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("1"));
        String host = "127.0.0.1:" + server.getAddress().getPort();
        for (String url : List.of("http://user:PW-s3cr3t-99@" + host + "/c/{id}", "http://user:PW-s3cr3t-99@" + host + "/c/x",
                "http://" + host + "/c?api_key=PW-s3cr3t-99", "http://" + host + "/c/{id}?api_key=PW-s3cr3t-99&x={id}",
                "http://" + host + "/c/{id}?api_key=PW-s3cr3t-99 with space", "ftp://" + host + "/c/{id}?api_key=PW-s3cr3t-99")) {
            Harvest.Result r = Harvest.run("--input", input.toString(), "--url", url, "--out", out.toString());
            assertEquals(2, r.exitCode(), url + ": " + r.stderr());
            assertTrue(r.stderr().startsWith("harvest: error: --url"), r.stderr());
            assertFalse(r.stderr().contains("PW-s3cr3t"), r.stderr());
            assertEquals(List.of(), Harvest.names(out), "no file created");
        }
        assertEquals(0, requests.get(), "no request sent");
    }

    @Test
    void controlCharactersInTokensAndHeaderValuesAreRefusedWithoutRepeatingThem() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("1"));
        List<String> run = List.of("--input", input.toString(), "--url", base() + "/c/{id}", "--out", out.toString());
        List<List<String>> refused = new ArrayList<>();
        refused.add(List.of("--token-env", "T"));
        refused.add(List.of("--token-file", Files.writeString(dir.resolve("two-lines"), "tok-first-half\ntok-second-half\n").toString()));
        refused.add(List.of("--token-file", Files.writeString(dir.resolve("two-newlines"), "tok-first-half\n\n").toString()));
        refused.add(List.of("--header", "X-Api-Key: tok-first-half\rtok-second-half"));
        refused.add(List.of("--header", "X-Api-Key: tok-first-half\u0000"));
        refused.add(List.of("--header", "X-Api-Key: tok-first-half\u20ac"));
        // A typo for the colon: the whole text might be the secret.
        refused.add(List.of("--header", "X-Api-Key=tok-first-half"));
        // Unquoted on the command line: the value arrives as a stray argument.
        refused.add(List.of("--header", "X-Api-Key:", "tok-first-half"));
        for (List<String> extra : refused) {
            List<String> args = new ArrayList<>(run);
            args.addAll(extra);
            Harvest.Result r = Harvest.run(Map.of("T", "tok-first-half\ntok-second-half"), args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), extra + ": " + r.stderr());
            assertEquals(1, r.stderr().lines().count(), "one line: " + r.stderr());
            assertFalse(r.stderr().contains("tok-"), r.stderr());
            assertEquals(List.of(), Harvest.names(out), "no file created");
        }
        assertEquals(0, requests.get(), "no request sent");

        // One trailing newline is what a token file normally ends with: taken off, and the token sent.
        Path file = Files.writeString(dir.resolve("token"), "tok-from-file-123\n");
        List<String> args = new ArrayList<>(run);
        args.addAll(List.of("--token-file", file.toString(), "-q"));
        Harvest.Result r = Harvest.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        String results = Files.readString(Harvest.only(out, "results-"));
        assertTrue(results.contains("Bearer tok-from-file-123\""), Harvest.names(out) + results + r.stdout() + r.stderr());
    }
}
