package dev.harvest.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stop asked for from outside the pipeline (SIGINT/SIGTERM). The first request stops reading
 * and lets in-flight requests finish within the drain timeout; a second one, or the timeout,
 * interrupts the owner so in-flight work is abandoned at once. Either way the run stays
 * resumable.
 */
public final class StopRequest {
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String signal;
    private volatile Pipeline pipeline;

    /** Called from a signal handler: SIG{@code name} arrived. */
    public void request(String name) {
        int n = requests.incrementAndGet();
        if (n == 1) {
            signal = name;
        }
        Pipeline p = pipeline;
        if (p != null) {
            p.stop(n == 1);
        }
    }

    /** The first signal's name, or null when no stop was asked for. */
    public String signal() {
        return signal;
    }

    void attach(Pipeline p) {
        pipeline = p;
        if (requests.get() > 0) {
            p.stop(requests.get() == 1);
        }
    }

}
