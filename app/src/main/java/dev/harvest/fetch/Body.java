package dev.harvest.fetch;

import java.nio.file.Path;

/** A response body as the fetcher received it: in memory, or streamed to a temporary file. */
sealed interface Body permits Body.Bytes, Body.Saved {

    /**
     * The whole body (at most --max-body), to be taken once; its bytes are taken from the job's
     * {@link BodyBudget} until given back. Not a record on purpose: the client can keep a finished
     * exchange's subscriber and response reachable from its pooled connection until the
     * connection's next exchange, so a record would keep each connection's last body alive
     * (measured: with 1 MiB bodies at --concurrency 64, ~50 extra bodies on the heap). Once the
     * fetcher has taken or released the bytes, whatever the client keeps holds an empty box.
     */
    final class Bytes implements Body {
        private final BodyBudget budget;
        private byte[] bytes;

        Bytes(byte[] bytes, BodyBudget budget) {
            this.bytes = bytes;
            this.budget = budget;
        }

        /**
         * The body, still taken from the budget: the caller gives its length back when it drops
         * it. The box is empty afterwards (a second call returns an empty array).
         */
        synchronized byte[] take() {
            byte[] b = bytes;
            bytes = null;
            return b == null ? new byte[0] : b;
        }

        /** The body for a last look (an error message), given back to the budget; empty afterwards. Idempotent. */
        byte[] release() {
            byte[] b = take();
            budget.give(b.length);
            return b;
        }
    }

    /**
     * @param temp   the temporary file holding the whole body
     * @param size   its size
     * @param sha256 its SHA-256, hex
     */
    record Saved(Path temp, long size, String sha256) implements Body {
    }
}
