import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the HTTP client alone costs, without harvest's pipeline: fetch every ID in a file with
 * N virtual threads in flight and count the bytes, nothing else. Two clients:
 *
 * <ul>
 *   <li>{@code jdk}: one {@code java.net.http.HttpClient} (HTTP/1.1, virtual-thread executor),
 *       {@code send} with {@code BodyHandlers.ofByteArray()} — what harvest uses;
 *   <li>{@code socket}: a minimal blocking HTTP/1.1 client (keep-alive sockets in a pool, a
 *       request line out, status + Content-Length in, body read into a byte array) — an
 *       experiment for the benchmark only, to show what the card's client costs against the floor.
 * </ul>
 *
 * <p>Run by {@code app/bench/client-cost.sh}; never part of harvest or its tests. Bench nginx only
 * (Content-Length responses, no chunking, no redirects).
 *
 * <pre>java ClientCost jdk|socket IDS_FILE URL_PREFIX CONCURRENCY</pre>
 */
public final class ClientCost {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        List<String> ids = Files.readAllLines(Path.of(args[1]));
        ids = ids.subList(1, ids.size()); // header line
        String prefix = args[2];
        int concurrency = Integer.parseInt(args[3]);
        Fetch fetch = switch (mode) {
            case "jdk" -> jdk();
            case "socket" -> socket(URI.create(prefix));
            default -> throw new IllegalArgumentException("mode: jdk or socket, not " + mode);
        };
        AtomicLong bytes = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Semaphore permits = new Semaphore(concurrency);
        long start = System.nanoTime();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : ids) {
                permits.acquire();
                executor.execute(() -> {
                    try {
                        bytes.addAndGet(fetch.get(prefix + id));
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d IDs, %d failed, %d body bytes, %.2f s, %.0f req/s%n",
                mode, ids.size(), failed.get(), bytes.get(), s, ids.size() / s);
        if (failed.get() > 0) {
            System.exit(1);
        }
    }

    interface Fetch {
        long get(String url) throws Exception;
    }

    static Fetch jdk() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        return url -> {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException("status " + r.statusCode());
            }
            return r.body().length;
        };
    }

    /** One keep-alive connection per in-flight request, reused through a queue. */
    static Fetch socket(URI base) {
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        String host = "Host: " + base.getHost() + ":" + base.getPort() + "\r\n";
        ConcurrentLinkedQueue<Conn> idle = new ConcurrentLinkedQueue<>();
        return url -> {
            Conn c = idle.poll();
            if (c == null) {
                c = new Conn(address);
            }
            String path = url.substring(url.indexOf('/', url.indexOf("//") + 2));
            c.out.write(("GET " + path + " HTTP/1.1\r\n" + host + "\r\n").getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            int status = Integer.parseInt(c.line().substring(9, 12));
            int length = -1;
            String h;
            while (!(h = c.line()).isEmpty()) {
                if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(h.substring(15).trim());
                }
            }
            byte[] body = c.in.readNBytes(length);
            if (status != 200 || body.length != length) {
                c.socket.close();
                throw new IOException("status " + status);
            }
            idle.add(c);
            return body.length;
        };
    }

    static final class Conn {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        private final StringBuilder sb = new StringBuilder();

        Conn(InetSocketAddress address) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address);
            in = new BufferedInputStream(socket.getInputStream(), 8192);
            out = socket.getOutputStream();
        }

        String line() throws IOException {
            sb.setLength(0);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return sb.toString();
        }
    }
}
