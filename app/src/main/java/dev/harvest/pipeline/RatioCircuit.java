package dev.harvest.pipeline;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.Gate.Signal;

/**
 * Opens when {@code --circuit-ratio} of the last {@code --circuit-window} attempts failed on the
 * server's side (see {@link FailureWindow}). A 429 is the server pacing the job, not failing: the
 * throttle answers it and the window leaves it out. Not thread-safe: the caller
 * ({@link FlowControl}) holds its lock.
 */
final class RatioCircuit {
    private final FailureWindow window;
    private final double ratio;

    /**
     * @param size  attempts in the window, 0 for never opening
     * @param ratio share of the window that must have failed
     */
    RatioCircuit(int size, double ratio) {
        this.window = size > 0 ? new FailureWindow(size) : null;
        this.ratio = ratio;
    }

    /**
     * One attempt; {@code failure} is its server-side reason, null when healthy. Returns why the run
     * must stop when the circuit is open, else null.
     */
    String record(Signal signal, FailureReason failure) {
        if (window == null || signal == Signal.THROTTLED && failure == null) {
            return null;
        }
        window.add(failure);
        return window.tripped(ratio) ? "endpoint failing: " + window.describe() : null;
    }
}
