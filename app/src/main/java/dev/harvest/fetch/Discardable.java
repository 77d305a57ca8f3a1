package dev.harvest.fetch;

/** A body subscriber the fetcher can give up on (timeout, stop) so it lets go of what it holds. */
interface Discardable {

    /** Stops taking the body and frees what it holds (memory, a temporary file). Idempotent. */
    void discard();
}
