package dev.harvest.pipeline;

import java.lang.management.ManagementFactory;
import java.util.function.DoubleSupplier;

/**
 * How busy this machine's CPUs are on harvest's account (0..1; a container's limit where it has
 * one), for {@link AdaptiveLimit}: while harvest keeps the CPUs busy, latency measures its own
 * queue, not the server's. The machine's load when harvest is at least half of it; otherwise only
 * harvest's own share (other programs' load is not harvest's queue, and a loaded machine must not
 * blind the latency rule). NaN when the runtime cannot tell (a JDK without {@code jdk.management}).
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
        double machine = os.getCpuLoad();
        double own = os.getProcessCpuLoad();
        if (machine < 0 || own < 0) {
            return Double.NaN;
        }
        return own >= machine / 2 ? machine : own;
    }
}
