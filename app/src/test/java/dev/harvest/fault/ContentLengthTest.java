package dev.harvest.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A response with two different Content-Length headers is refused: java.net.http reads as many
 * bytes as the first one says, so the value written would be whatever the first length cuts out
 * (and the rest a response smuggled into the connection). It fails as a retryable network
 * failure; two equal headers are one length and are fine.
 */
class ContentLengthTest {
    @TempDir
    Path dir;

    @Test
    void twoDifferentContentLengthsAreANetworkFailure() throws Exception {
        try (RawHttpServer server = new RawHttpServer(Duration.ZERO, path -> switch (path) {
            case "/c/TWO" -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    + "Content-Length: 11\r\n\r\n{}{\"a\":\"b\"}";
            case "/c/SAME" -> "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 9\r\n"
                    + "Content-Length: 9\r\n\r\n{\"a\":\"b\"}";
            default -> RawHttpServer.ok("{\"a\":\"ok\"}");
        })) {
            Path in = Harvest.idFile(dir, "ids.csv", "id", List.of("TWO", "SAME", "ONE"));
            Path out = Files.createDirectory(dir.resolve("out"));
            Harvest.Result r = Harvest.run("--input", in.toString(), "--url", server.baseUrl() + "/c/{id}",
                    "--out", out.toString(), "--retries", "0", "-q");

            assertEquals(1, r.exitCode(), r.stderr());
            List<String> failed = Harvest.lines(Harvest.only(out, "failed-"));
            assertEquals(2, failed.size(), failed.toString());
            assertTrue(failed.get(1).startsWith("TWO,network,,1,true,") && failed.get(1).contains("Content-Length"),
                    failed.toString());
            List<String> results = Harvest.lines(Harvest.only(out, "results-"));
            assertEquals(2, results.size(), results.toString());
            assertTrue(results.stream().anyMatch(l -> l.contains("\"SAME\"")), results.toString());
            assertTrue(results.stream().anyMatch(l -> l.contains("\"ONE\"")), results.toString());
        }
    }
}
