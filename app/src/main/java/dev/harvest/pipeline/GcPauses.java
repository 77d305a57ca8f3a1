package dev.harvest.pipeline;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How long this JVM has stood still for garbage collection so far, in nanoseconds, for
 * {@link AdaptiveLimit}: every response in flight during a pause comes back that much later, and
 * the backlog the pause left behind later still, which is the JVM's wait, not the server's queue.
 * Sums the collection time of the collectors that stop the application (the launcher's parallel
 * collector: both of its); the concurrent ones' cycles ("Cycles", "Concurrent" in their names) run
 * beside the application and are left out.
 */
final class GcPauses implements LongSupplier {
    private final List<GarbageCollectorMXBean> collectors;

    private GcPauses(List<GarbageCollectorMXBean> collectors) {
        this.collectors = collectors;
    }

    /** The reading of this runtime. */
    static LongSupplier of() {
        return new GcPauses(ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(GcPauses::stopsTheApplication)
                .toList());
    }

    private static boolean stopsTheApplication(GarbageCollectorMXBean gc) {
        String name = gc.getName().toLowerCase(Locale.ROOT);
        return !name.contains("cycles") && !name.contains("concurrent");
    }

    @Override
    public long getAsLong() {
        long millis = 0;
        for (GarbageCollectorMXBean gc : collectors) {
            millis += Math.max(0, gc.getCollectionTime()); // -1: not known
        }
        return millis * 1_000_000;
    }
}
