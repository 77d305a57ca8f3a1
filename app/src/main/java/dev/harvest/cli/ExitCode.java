package dev.harvest.cli;

/** harvest's documented exit codes. */
public final class ExitCode {
    /** Every ID ended in the results (or was skipped), or the failed ones are within --max-failed. */
    public static final int OK = 0;
    /** The run finished; more IDs than --max-failed allows (by default any) are in the failed file. */
    public static final int SOME_FAILED = 1;
    /** Usage or configuration error; nothing was written and no request was sent. */
    public static final int USAGE = 2;
    /** Aborted (endpoint down, disk full, unreadable input, internal error); resumable with --resume. */
    public static final int ABORTED = 3;
    /** Another run of the same job holds its lock. */
    public static final int LOCKED = 4;
    /** Stopped by SIGINT; resumable. */
    public static final int SIGINT = 130;
    /** Stopped by SIGTERM; resumable. */
    public static final int SIGTERM = 143;

    private ExitCode() {
    }
}
