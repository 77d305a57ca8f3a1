package dev.harvest.store;

/** Whether a run continues an unfinished run of the same job. */
public enum ResumeMode {
    /** Always start a new run. */
    NO,
    /** Continue the newest unfinished run; exit 2 when there is none. */
    YES,
    /** Continue one if there is one, else start a new run (for cron and Kubernetes retries). */
    AUTO
}
