package dev.harvest.pipeline;

import dev.harvest.fetch.FailureReason;
import java.util.Arrays;

/**
 * The last {@code size} request attempts, each either healthy or a server-side failure with its
 * reason, and how many of them failed. Backs the failure-ratio circuit: a window of attempts (not
 * of time) so that a slow run and a fast run trip at the same evidence, and so that an outage in
 * hour five is judged on what happened just now, not on the whole run. Not thread-safe: the
 * caller ({@link FlowControl}) holds its lock.
 */
final class FailureWindow {
    private static final byte HEALTHY = -1;

    private final byte[] ring;
    private final int[] byReason = new int[FailureReason.values().length];
    private int next;
    private int filled;
    private int failures;

    /** @param size attempts in the window; at least 1 */
    FailureWindow(int size) {
        ring = new byte[size];
        Arrays.fill(ring, HEALTHY);
    }

    /** Adds one attempt, pushing out the oldest once the window is full. {@code failure} null = healthy. */
    void add(FailureReason failure) {
        byte old = ring[next];
        if (filled == ring.length && old != HEALTHY) {
            failures--;
            byReason[old]--;
        }
        byte now = failure == null ? HEALTHY : (byte) failure.ordinal();
        ring[next] = now;
        if (now != HEALTHY) {
            failures++;
            byReason[now]++;
        }
        next = (next + 1) % ring.length;
        if (filled < ring.length) {
            filled++;
        }
    }

    /** Whether the window is full and at least {@code ratio} of it failed. */
    boolean tripped(double ratio) {
        return filled == ring.length && failures >= Math.ceil(ratio * ring.length);
    }

    /** One line naming the failures, e.g. {@code 200 of the last 200 requests failed (http_5xx 180, timeout 20)}. */
    String describe() {
        StringBuilder b = new StringBuilder();
        b.append(failures).append(" of the last ").append(filled).append(" requests failed (");
        String sep = "";
        for (FailureReason r : FailureReason.values()) {
            if (byReason[r.ordinal()] > 0) {
                b.append(sep).append(r.label()).append(' ').append(byReason[r.ordinal()]);
                sep = ", ";
            }
        }
        return b.append(')').toString();
    }
}
