import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the HTTP client alone costs, without harvest's pipeline: fetch every ID in a file with
 * N virtual threads in flight and count the bytes, nothing else. Two clients:
 *
 * <ul>
 *   <li>{@code jdk}: one {@code java.net.http.HttpClient} (HTTP/1.1, virtual-thread executor,
 *       harvest's default connect timeout), {@code send} with {@code BodyHandlers.ofByteArray()}
 *       — what harvest uses;
 *   <li>{@code socket}: a minimal blocking HTTP/1.1 client (keep-alive sockets in a pool, a
 *       request line out, status + Content-Length in, body read into a byte array) — an
 *       experiment for the benchmark only, to show what the card's client costs against the floor.
 * </ul>
 *
 * <p>Over {@code https} the {@code jdk} client trusts the CA in {@code --ca FILE} (PEM); with {@code --h2}
 * it speaks HTTP/2 the way harvest does (ALPN; one client per 100 requests in flight, each client
 * taking one request until its first exchange is over, see harvest's {@code fetch/ClientPool}).
 *
 * <p>Run by {@code app/bench/run.sh}; never part of harvest or its tests. Bench nginx only
 * (Content-Length responses, no chunking, no redirects).
 *
 * <pre>java ClientCost jdk|socket IDS_FILE URL_PREFIX CONCURRENCY [--h2] [--ca PEM]</pre>
 */
public final class ClientCost {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        List<String> ids = Files.readAllLines(Path.of(args[1]));
        ids = ids.subList(1, ids.size()); // header line
        String prefix = args[2];
        int concurrency = Integer.parseInt(args[3]);
        boolean h2 = false;
        SSLContext tls = null;
        for (int i = 4; i < args.length; i++) {
            switch (args[i]) {
                case "--h2" -> h2 = true;
                case "--ca" -> tls = trusting(Path.of(args[++i]));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Fetch fetch = switch (mode) {
            case "jdk" -> jdk(h2, tls, concurrency);
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

    /** harvest's default {@code --connect-timeout}. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    static Fetch jdk(boolean h2, SSLContext tls, int concurrency) {
        int count = h2 ? Math.ceilDiv(concurrency, 100) : 1;
        List<HttpClient> clients = new ArrayList<>();
        List<Semaphore> caps = new ArrayList<>();
        List<AtomicBoolean> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // harvest's default --connect-timeout. Not free: with a connect timeout the JDK keeps,
            // for each HTTP/1.1 connection's life, the exchange that opened it (its connect timer
            // event is never cleared): ~10 MB more live at 1,000 connections, so more GC. That is
            // the client's cost as harvest must use it, so the floor pays it too.
            HttpClient.Builder b = HttpClient.newBuilder()
                    .version(h2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .executor(Executors.newVirtualThreadPerTaskExecutor());
            if (tls != null) {
                b.sslContext(tls);
            }
            clients.add(b.build());
            caps.add(new Semaphore(h2 ? 1 : Integer.MAX_VALUE));
            opened.add(new AtomicBoolean(!h2));
        }
        AtomicInteger next = new AtomicInteger();
        return url -> {
            int start = Math.floorMod(next.getAndIncrement(), count);
            int k = -1;
            for (int i = 0; i < count && k < 0; i++) {
                if (caps.get((start + i) % count).tryAcquire()) {
                    k = (start + i) % count;
                }
            }
            if (k < 0) {
                k = start;
                caps.get(k).acquire();
            }
            try {
                HttpResponse<byte[]> r = clients.get(k).send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IOException("status " + r.statusCode());
                }
                return r.body().length;
            } finally {
                caps.get(k).release(h2 && opened.get(k).compareAndSet(false, true) ? 100 : 1);
            }
        };
    }

    /** An SSL context trusting the certificates in a PEM file (the bench's throw-away CA). */
    static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int i = 0;
            for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca" + i++, (X509Certificate) cert);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
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
