package dev.harvest.fetch;

/**
 * The job's budget of body bytes in memory: bodies being received and bodies waiting for the
 * store stage. Implemented by the pipeline, which owns all shared concurrency state. A body takes
 * bytes before it holds them in its own arrays and gives them back when they are dropped; a body
 * that cannot have them yet is not read further (its subscription gets no more demand, which is
 * the HTTP client's own back-pressure) until the budget calls it back.
 */
public interface BodyBudget {

    /**
     * Takes {@code bytes} for {@code body} now if the budget allows it; otherwise queues the request
     * and returns false, and {@code granted} runs later on another thread, once the bytes are
     * taken for this body. A body that already holds bytes ({@code started}) is served before new
     * ones, and when the budget is spent one started body may go past it to its end, so bodies
     * waiting on each other always finish.
     *
     * @param body    identifies the body (the same object for all its requests)
     * @param bytes   how many bytes
     * @param started whether the body already holds part of the budget
     * @param granted what to run once the bytes are taken, when they could not be taken at once
     * @return whether the bytes were taken now
     */
    boolean take(Object body, long bytes, boolean started, Runnable granted);

    /** Takes bytes that are already in memory and cannot wait (a body's final copy). */
    void force(long bytes);

    /** Gives bytes back. */
    void give(long bytes);

    /**
     * The body is received or given up: it will ask for nothing more. Drops its queued request,
     * if any (a grant already under way runs anyway; the body gives those bytes back).
     */
    void finished(Object body);

}
