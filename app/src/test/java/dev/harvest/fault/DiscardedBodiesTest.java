package dev.harvest.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body the fetcher gives up on mid-way is dropped whatever its kind: hundreds of plain bodies
 * cut by --timeout in one run, then gzip bodies cut the same way in the next run of the same JVM.
 * Dropping them through one interface call, compiled while only plain bodies had been dropped,
 * threw IncompatibleClassChangeError at the first gzip body and aborted the run (exit 3). It
 * shows in a JVM that has not made a gzip or download body before, as when this test runs first.
 */
@Tag("slow")
class DiscardedBodiesTest {
    @TempDir
    Path dir;

    @Test
    void gzipBodiesCutAfterHundredsOfPlainOnesFailOnlyTheirIds() throws Exception {
        // Every response promises 1,000 bytes and sends 9: the exchange waits for the rest until --timeout.
        try (RawHttpServer server = new RawHttpServer(Duration.ZERO, path -> path.startsWith("/c/G")
                ? "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 1000\r\n\r\n123456789"
                : "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n123456789")) {
            run(server, "plain", IntStream.rangeClosed(1, 2000).mapToObj(i -> "P" + i).toList(), "--timeout", "100ms");
            run(server, "gzip", IntStream.rangeClosed(1, 20).mapToObj(i -> "G" + i).toList(), "--timeout", "100ms",
                    "--compressed");
        }
    }

    private void run(RawHttpServer server, String name, List<String> ids, String... more) throws Exception {
        Path in = Harvest.idFile(dir, name + ".csv", "id", ids);
        Path out = Files.createDirectory(dir.resolve(name));
        List<String> args = new ArrayList<>(List.of("--input", in.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--concurrency", "500", "--retries", "0", "--circuit-failures", "0", "--circuit-window", "0",
                "--out", out.toString(), "-q"));
        args.addAll(List.of(more));
        Harvest.Result r = Harvest.run(args.toArray(String[]::new));
        assertEquals(1, r.exitCode(), name + ": completed with failures: " + r.stderr());
        List<String> failed = Harvest.lines(Harvest.only(out, "failed-"));
        assertEquals(ids.size() + 1, failed.size(), name + ": every ID failed, once (with the header)");
        assertTrue(failed.stream().skip(1).allMatch(row -> row.contains("timeout")), name + ": each by its timeout");
    }
}
