package dev.harvest.store;

import dev.harvest.config.JobConfig;
import dev.harvest.config.Setting;
import dev.harvest.config.SettingsLoader;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Outcome;
import dev.harvest.report.RunStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Measures the store thread's CPU and allocation per outcome (not a test: run by hand, issue 14).
 * Pushes 100,000 bench-like bodies (~610 bytes, 3 detail records, 20,000 distinct IDs and numbers)
 * through {@link StoreStage#accept} and {@code checkpointIfDue} as the store thread does, with a
 * real output directory and journal, and prints the thread's CPU-ns and allocated bytes per
 * outcome (min and median of the repetitions after warm-up) for the bench job, whole-body JSON
 * Lines and {@code --records} JSON Lines. Use the launcher's JVM flags:
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * $JAVA25/bin/java -XX:TieredStopAtLevel=1 -XX:+UseParallelGC -Xmx168m \
 *     -cp app/target/test-classes:app/target/classes:$(cat /tmp/cp.txt) dev.harvest.store.StoreCpu [reps]
 * </pre>
 */
public final class StoreCpu {
    private static final int OUTCOMES = 100_000;
    /** Bodies in memory, used in turn: all 100,000 would crowd the launcher's 168 MiB heap. */
    private static final int DISTINCT = 20_000;

    private StoreCpu() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String only = args.length > 1 ? args[1] : "";
        Path dir = Files.createTempDirectory("store-cpu");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < OUTCOMES; i++) {
            ids.add(String.format("c%07d", i));
        }
        Path input = dir.resolve("ids.csv");
        Files.writeString(input, "id\n" + String.join("\n", ids) + "\n");
        Outcome[] outcomes = new Outcome[OUTCOMES];
        Random random = new Random(14);
        long bodyBytes = 0;
        byte[][] bodies = new byte[DISTINCT][];
        for (int i = 0; i < OUTCOMES; i++) {
            if (i < DISTINCT) {
                bodies[i] = body(ids.get(i), random);
            }
            byte[] body = bodies[i % DISTINCT];
            bodyBytes += body.length;
            outcomes[i] = new Outcome(i + 1, ids.get(i), null, null,
                    new FetchResult.Response(200, body, "application/json", null, 1, 20_000_000L));
        }
        System.out.printf("%d outcomes, %d bytes of body on average%n", OUTCOMES, bodyBytes / OUTCOMES);
        String[][] shapes = {
                {"bench (CSV, --records /details, --fields)", "--format", "csv", "--records", "/details", "--fields",
                        "customer={id},id=/id,relevanceScore=/relevanceScore,relevanceRank=/relevanceRank"},
                {"whole body (JSON Lines)"},
                {"--records /details (JSON Lines)", "--records", "/details"},
        };
        for (String[] shape : shapes) {
            if (!shape[0].contains(only)) {
                continue;
            }
            long[] cpu = new long[reps];
            long[] alloc = new long[reps];
            for (int r = -2; r < reps; r++) { // two warm-up runs
                long[] m = run(dir, input, outcomes, Arrays.copyOfRange(shape, 1, shape.length), r);
                if (r >= 0) {
                    cpu[r] = m[0];
                    alloc[r] = m[1];
                }
            }
            Arrays.sort(cpu);
            Arrays.sort(alloc);
            System.out.printf("%-44s CPU ns/outcome min %,6d median %,6d   bytes/outcome min %,6d median %,6d%n",
                    shape[0], cpu[0] / OUTCOMES, cpu[reps / 2] / OUTCOMES, alloc[0] / OUTCOMES, alloc[reps / 2] / OUTCOMES);
        }
        delete(dir);
    }

    /** One run of all outcomes through a fresh store stage: {thread CPU ns, thread allocated bytes}. */
    private static long[] run(Path dir, Path input, Outcome[] outcomes, String[] extra, int rep) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out" + rep + "-" + System.nanoTime()));
        List<String> a = new ArrayList<>(List.of("--input", input.toString(), "--input-header", "true",
                "--url", "http://127.0.0.1:9/customers/{id}", "--out", out.toString(),
                "--results", out.resolve("results.out").toString(), "--quiet", "true"));
        a.addAll(List.of(extra));
        List<Setting> flags = new ArrayList<>();
        for (int i = 0; i < a.size(); i += 2) {
            flags.add(new Setting(a.get(i).substring(2), a.get(i + 1), a.get(i)));
        }
        JobConfig job = JobConfig.from(SettingsLoader.load(flags, Map.of()), Map.of());
        RunStats stats = new RunStats();
        StoreStage store = StoreStage.open(RunPlan.prepare(job.input(), job.request(), job.output(),
                "20260101-000000", new ArrayList<>()), stats);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long bytes0 = threads.getThreadAllocatedBytes(tid);
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (Outcome o : outcomes) {
            store.accept(o);
            store.checkpointIfDue();
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long bytes = threads.getThreadAllocatedBytes(tid) - bytes0;
        store.complete();
        if (stats.ok() != outcomes.length) {
            throw new IllegalStateException("only " + stats.ok() + " of " + outcomes.length + " stored");
        }
        delete(out);
        return new long[] {cpu, bytes};
    }

    /** A body like app/bench's server sends, with this ID and random numbers. */
    static byte[] body(String id, Random random) {
        StringBuilder sb = new StringBuilder("{\"customer\":\"").append(id).append("\",\"details\":[");
        for (int k = 1; k <= 3; k++) {
            sb.append(k == 1 ? "" : ",").append("{\"id\":\"").append(id).append('-').append(k)
                    .append("\",\"relevanceScore\":0.").append(10 + random.nextInt(90))
                    .append(",\"relevanceRank\":").append(k).append('}');
        }
        sb.append("],\"profile\":{\"name\":\"Customer ").append(id).append("\",\"email\":\"").append(id)
                .append("@example.com\",\"segment\":\"retail\",\"country\":\"NL\",\"since\":\"2013-06-01\",\"tier\":\"gold\","
                        + "\"address\":{\"street\":\"Keizersgracht 123\",\"city\":\"Amsterdam\",\"zip\":\"1015 CJ\"},"
                        + "\"consents\":{\"email\":true,\"sms\":false},\"tags\":[\"alpha\",\"beta\",\"gamma\",\"delta\"],"
                        + "\"notes\":\"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
                        + "incididunt ut labore et dolore magna aliqua\"}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void delete(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
