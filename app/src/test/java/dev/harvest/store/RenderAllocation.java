package dev.harvest.store;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Measures what rendering one body allocates (not a test: run by hand, see docs/performance.md).
 * Renders the same ~5 KB body 100,000 times per path, after a warm-up, and prints the thread's
 * allocated bytes per body ({@code com.sun.management.ThreadMXBean}):
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * $JAVA25/bin/java -cp app/target/test-classes:app/target/classes:$(cat /tmp/cp.txt) dev.harvest.store.RenderAllocation
 * </pre>
 */
public final class RenderAllocation {
    private static final int BODIES = 100_000;

    private RenderAllocation() {
    }

    public static void main(String[] args) {
        byte[] body = body();
        System.out.printf("body: %d bytes, %d records%n", body.length, RECORDS);
        measure("whole body (JSON Lines)", OutputFormat.JSONL, null, null, body);
        measure("--records (JSON Lines)", OutputFormat.JSONL, "/data/items", null, body);
        measure("--records --fields (CSV)", OutputFormat.CSV, "/data/items", FIELDS, body);
        measure("--records --fields (JSON Lines)", OutputFormat.JSONL, "/data/items", FIELDS, body);
    }

    private static final int RECORDS = 20;
    private static final String FIELDS = "in={id},id=/id,name=/name,score=/score,city=/address/city,tags=/tags,ok=/active";

    /** An envelope of 20 records of about 250 bytes each, with numbers, escapes and non-ASCII text. */
    private static byte[] body() {
        StringBuilder sb = new StringBuilder("{\"meta\": {\"page\": 1, \"of\": 40},\n \"data\": {\"items\": [\n");
        for (int i = 0; i < RECORDS; i++) {
            sb.append(i == 0 ? "  " : ",\n  ")
                    .append("{\"id\": \"c-").append(1000 + i).append("\", \"name\": \"Zoë \\\"Z\\\" Müller, ").append(i)
                    .append("\", \"score\": ").append(i).append(".250, \"n\": 1E").append(i % 7)
                    .append(", \"address\": {\"street\": \"Hauptstraße ").append(i).append("\", \"city\": \"Zürich\", \"zip\": \"80").append(10 + i)
                    .append("\"}, \"tags\": [\"a\", \"b\", ").append(i).append("], \"active\": ").append(i % 2 == 0)
                    .append(", \"note\": null, \"text\": \"lorem ipsum dolor sit amet, consectetur\"}");
        }
        return sb.append("\n]}}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void measure(String name, OutputFormat format, String records, String fields, byte[] body) {
        ResponseRenderer renderer = new ResponseRenderer(format, Projection.parse(records, fields));
        ByteSink sink = new ByteSink();
        for (int i = 0; i < 20_000; i++) { // warm-up, so the JIT's escape analysis is in
            render(renderer, body, sink);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        for (int i = 0; i < BODIES; i++) {
            render(renderer, body, sink);
        }
        long nanos = System.nanoTime() - t0;
        long bytes = threads.getThreadAllocatedBytes(tid) - before;
        System.out.printf("%-34s %,8d bytes/body  %,6.1f µs/body  (%d bytes of output)%n", name, bytes / BODIES,
                nanos / 1000.0 / BODIES, sink.length());
    }

    private static void render(ResponseRenderer renderer, byte[] body, ByteSink sink) {
        sink.reset();
        if (!(renderer.render("4711", 200, body, "application/json", sink) instanceof Rendered.Rows)) {
            throw new IllegalStateException("the body was rejected");
        }
    }
}
