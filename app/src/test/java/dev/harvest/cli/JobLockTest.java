package dev.harvest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.harvest.Harvest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cron's overlap guard: a second run of the same job while the first is going exits 4 and touches nothing. */
class JobLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunOfTheSameJobExits4() throws Exception {
        CountDownLatch requestArrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/customers/", ex -> {
            requestArrived.countDown();
            try {
                release.await(30, TimeUnit.SECONDS); // the first run stays busy until the test lets go
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1", "C2"));
            Path out = Files.createDirectory(dir.resolve("out"));
            String[] args = {"--input", input.toString(), "--url",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/customers/{id}", "--out", out.toString(), "-q"};

            // Its own platform thread, like a real process's main thread: not a common-pool worker,
            // which (one worker on 2 cores) other parts of the JVM may need while the run blocks.
            CompletableFuture<Harvest.Result> first = new CompletableFuture<>();
            Thread.ofPlatform().name("first-run").start(() -> first.complete(Harvest.run(args)));
            assertTrue(requestArrived.await(30, TimeUnit.SECONDS), "the first run started fetching");
            List<String> filesDuringFirst = Harvest.names(out);
            Harvest.Result second = Harvest.run(args);

            assertEquals(4, second.exitCode());
            assertEquals(1, second.stderr().lines().count(), second.stderr());
            assertTrue(second.stderr().startsWith("harvest: error: another run of this job is still going (pid "),
                    second.stderr());
            assertEquals(filesDuringFirst, Harvest.names(out), "the second run created nothing");

            release.countDown();
            assertEquals(0, first.get(30, TimeUnit.SECONDS).exitCode());
            Thread.sleep(1100); // stamped names have one-second resolution
            assertEquals(0, Harvest.run(args).exitCode(), "once the first ended, the lock is free again");
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    /** A server whose first request holds until {@code release}; {@code arrived} counts down on it. */
    private static HttpServer holdingServer(CountDownLatch arrived, CountDownLatch release) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/customers/", ex -> {
            arrived.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return server;
    }

    @Test
    void theLockCoversTheJobNotTheInputsNameNorTheWayToOut() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = holdingServer(arrived, release);
        try {
            Path night1 = Harvest.idFile(dir, "night1.txt", "customer_id", List.of("C1", "C2"));
            Path night2 = Harvest.idFile(dir, "night2.txt", "customer_id", List.of("C3", "C4"));
            Path out = Files.createDirectory(dir.resolve("out"));
            Path viaLink = Files.createSymbolicLink(dir.resolve("link-to-out"), out);
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/customers/{id}";
            CompletableFuture<Harvest.Result> first = new CompletableFuture<>();
            Thread.ofPlatform().name("first-run").start(() -> first.complete(
                    Harvest.run("--input", night1.toString(), "--url", url, "--out", out.toString(), "-q")));
            assertTrue(arrived.await(30, TimeUnit.SECONDS), "the first run started fetching");
            List<String> filesDuringFirst = Harvest.names(out);

            Harvest.Result otherInput = Harvest.run("--input", night2.toString(), "--url", url, "--out", out.toString(), "-q");
            Harvest.Result throughLink = Harvest.run("--input", night1.toString(), "--url", url, "--out", viaLink.toString(), "-q");

            assertEquals(4, otherInput.exitCode(), otherInput.stderr());
            assertEquals(4, throughLink.exitCode(), throughLink.stderr());
            assertTrue(throughLink.stderr().startsWith("harvest: error: another run of this job is still going (pid "),
                    throughLink.stderr());
            assertEquals(filesDuringFirst, Harvest.names(out), "the overlapping runs created nothing");
            release.countDown();
            assertEquals(0, first.get(30, TimeUnit.SECONDS).exitCode());
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void aSetupErrorLeavesNoLockFileBehind() throws Exception {
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1"));
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", "http://127.0.0.1:9/customers/{id}",
                "--out", out.toString(), "-q", "--resume");

        assertEquals(2, r.exitCode(), r.stderr());
        assertEquals(List.of(), Harvest.names(out), "nothing in --out");
    }
}
