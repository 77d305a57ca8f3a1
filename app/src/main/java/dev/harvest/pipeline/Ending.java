package dev.harvest.pipeline;

/**
 * How a run ended, and the exit code it maps to.
 *
 * @param kind   completed, interrupted by a signal, or aborted
 * @param signal the signal's name when interrupted (INT or TERM)
 * @param cause  one line naming why, when aborted
 */
public record Ending(Kind kind, String signal, String cause) {

    /** The three ways a run ends. */
    public enum Kind { COMPLETED, INTERRUPTED, ABORTED }

    public static Ending completed() {
        return new Ending(Kind.COMPLETED, null, null);
    }

    public static Ending interrupted(String signal) {
        return new Ending(Kind.INTERRUPTED, signal, "stopped by SIG" + signal);
    }

    public static Ending aborted(String cause) {
        return new Ending(Kind.ABORTED, null, cause);
    }
}
