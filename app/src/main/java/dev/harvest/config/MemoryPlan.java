package dev.harvest.config;

/**
 * How the heap is shared, so a job fits whatever its body sizes and concurrency (see README,
 * "Memory"). Bodies held in memory take from one budget, an eighth of the heap the JVM can use
 * ({@link Runtime#maxMemory()}: 19 MiB with the launcher's -Xmx168m, of which the parallel GC
 * keeps one survivor space back): bodies being received and waiting for the store stage together.
 * Besides the budget the heap holds at most one body past it (so bodies never wait on each other
 * forever), that body's final copy when it came without a Content-Length, the store stage's
 * rendering of the body it is writing, and each request's own state in the HTTP client. So the
 * largest body held in memory (--max-body outside downloads) is an eighth of the heap too.
 */
public final class MemoryPlan {
    private static final long MIN = 1 << 20;

    private MemoryPlan() {
    }

    /** The byte budget of bodies in memory. */
    public static long bodyBudget() {
        return Math.max(MIN, Runtime.getRuntime().maxMemory() / 8);
    }

    /** The largest --max-body for bodies held in memory. */
    public static long maxBodyInMemory() {
        return bodyBudget();
    }
}
