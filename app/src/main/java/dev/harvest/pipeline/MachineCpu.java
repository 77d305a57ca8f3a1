package dev.harvest.pipeline;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;

/**
 * The share of this machine's CPU in use (0..1; a container's limit where it has one), for
 * {@link AdaptiveLimit}: while the CPUs are busy, latency measures harvest's own queue, not the
 * server's. NaN when the runtime cannot tell (a JDK without {@code jdk.management}).
 */
final class MachineCpu implements DoubleSupplier {
    private final com.sun.management.OperatingSystemMXBean os;

    private MachineCpu(com.sun.management.OperatingSystemMXBean os) {
        this.os = os;
    }

    /** The reading of this runtime, or one that always says NaN. */
    static DoubleSupplier of() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return new MachineCpu(os);
            }
        } catch (LinkageError e) {
            // an image built without jdk.management: auto concurrency works on latency alone
        }
        return () -> Double.NaN;
    }

    @Override
    public double getAsDouble() {
        double load = os.getCpuLoad();
        return load < 0 ? Double.NaN : load;
    }
}
