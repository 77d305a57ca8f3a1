package dev.harvest.fetch;

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

    /**
     * Heap per request in flight besides its body: the HTTP client's exchange and connection state
     * with the launcher's 4 KiB read buffer measured ~25 KB (class histograms at 3,000 in flight;
     * ~35 KB with the client's default 16 KiB buffer), rounded up.
     */
    static final long PER_REQUEST = 32 << 10;
    /** Heap kept for everything else: the store stage, the journal, Log4j, the JIT's and GC's slack. */
    private static final long RESERVE = 16 << 20;

    /**
     * The most requests in flight the heap holds beside the body budget and the one body that may
     * pass it: 3,136 with the launcher's heap. A higher --concurrency runs at this many (the run
     * says so), slower rather than out of memory.
     */
    public static int maxConcurrency() {
        long free = Runtime.getRuntime().maxMemory() - 2 * bodyBudget() - RESERVE;
        return Math.clamp(free / PER_REQUEST, 16, Integer.MAX_VALUE);
    }

    /** The largest --max-body for bodies held in memory. */
    public static long maxBodyInMemory() {
        return bodyBudget();
    }
}
