import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * The same measurement as {@code ClientCost}, through Apache HttpClient 5's classic (blocking)
 * API on virtual threads: the candidate library if the design card's {@code java.net.http} is
 * replaced. Benchmark only; harvest does not depend on it. Run by {@code app/bench/run.sh} as the
 * {@code apache-client} peer, which fetches the jars from Maven Central.
 *
 * <pre>java ApacheClientCost IDS_FILE URL_PREFIX CONCURRENCY</pre>
 */
public final class ApacheClientCost {
    public static void main(String[] args) throws Exception {
        List<String> ids = Files.readAllLines(Path.of(args[0]));
        ids = ids.subList(1, ids.size()); // header line
        String prefix = args[1];
        int concurrency = Integer.parseInt(args[2]);
        var pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(concurrency).setMaxConnPerRoute(concurrency).build();
        AtomicLong bytes = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Semaphore permits = new Semaphore(concurrency);
        long start = System.nanoTime();
        try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool).disableAutomaticRetries().build();
                var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String id : ids) {
                permits.acquire();
                executor.execute(() -> {
                    try {
                        long n = client.execute(new HttpGet(prefix + id), response -> {
                            byte[] body = EntityUtils.toByteArray(response.getEntity());
                            return response.getCode() == 200 ? (long) body.length : -1L;
                        });
                        if (n < 0) {
                            failed.incrementAndGet();
                        } else {
                            bytes.addAndGet(n);
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("apache: %d IDs, %d failed, %d body bytes, %.2f s, %.0f req/s%n",
                ids.size(), failed.get(), bytes.get(), s, ids.size() / s);
        if (failed.get() > 0) {
            System.exit(1);
        }
    }
}
