package dev.harvest.pipeline;

/** How a run ended: each way maps to its own exit code. */
public sealed interface Ending permits Ending.Completed, Ending.Interrupted, Ending.Aborted {

    /** Every ID was taken through the pipeline (some may still be unfinished after internal errors). */
    record Completed() implements Ending {
    }

    /** @param signal the signal's name (INT or TERM) */
    record Interrupted(String signal) implements Ending {
        /** One line naming why. */
        public String cause() {
            return "stopped by SIG" + signal;
        }
    }

    /** @param cause one line naming why */
    record Aborted(String cause) implements Ending {
    }

    static Ending completed() {
        return new Completed();
    }

    static Ending interrupted(String signal) {
        return new Interrupted(signal);
    }

    static Ending aborted(String cause) {
        return new Aborted(cause);
    }
}
