package dev.harvest.pipeline;

import dev.harvest.fetch.Gate.Signal;

/**
 * Opens after {@code --circuit-failures} consecutive connection failures: an endpoint that cannot
 * be reached. Any response resets the count; other failures (a timeout, a 5xx) neither reset nor
 * count. Not thread-safe: the caller ({@link FlowControl}) holds its lock.
 */
final class ConnectCircuit {
    private final int threshold;
    private int consecutive;

    /** @param threshold consecutive connection failures that open it, 0 for never */
    ConnectCircuit(int threshold) {
        this.threshold = threshold;
    }

    /** One attempt; returns why the run must stop when the circuit opens, else null. */
    String record(Signal signal) {
        switch (signal) {
            case OK, THROTTLED -> consecutive = 0;
            case CONNECT_FAILED -> consecutive++;
            case FAILED -> {
                return null;
            }
        }
        return threshold > 0 && consecutive >= threshold
                ? "endpoint unreachable: " + consecutive + " consecutive connection failures"
                : null;
    }
}
