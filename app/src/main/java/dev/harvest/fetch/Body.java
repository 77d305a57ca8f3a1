package dev.harvest.fetch;

import java.nio.file.Path;

/** A response body as the fetcher received it: in memory, or streamed to a temporary file. */
sealed interface Body permits Body.Bytes, Body.Saved {

    /** @param bytes the whole body (at most --max-body) */
    record Bytes(byte[] bytes) implements Body {
    }

    /**
     * @param temp   the temporary file holding the whole body
     * @param size   its size
     * @param sha256 its SHA-256, hex
     */
    record Saved(Path temp, long size, String sha256) implements Body {
    }
}
