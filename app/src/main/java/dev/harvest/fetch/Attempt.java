package dev.harvest.fetch;

import java.net.http.HttpResponse;

/**
 * What one exchange ({@link Exchange}) gave: a response (with a note when it is a redirect that
 * was not followed) or an error. {@link AttemptClassifier} turns it into a result.
 *
 * @param response    the last response, or null when none arrived
 * @param error       why no response arrived, or null
 * @param note        why a redirect response was not followed, or null
 * @param contentType the last response's Content-Type, or null: read as its headers arrived, on
 *                    the client's thread that parsed them (a lookup there costs a fraction of one
 *                    on the fetching thread, where the headers are not in the CPU's cache)
 */
record Attempt(HttpResponse<Body> response, Throwable error, String note, String contentType) {

    /** An attempt whose Content-Type no one reads (an error, a redirect, a 304). */
    Attempt(HttpResponse<Body> response, Throwable error, String note) {
        this(response, error, note, null);
    }

    /** Gives a dropped response's in-memory body back to the budget (redirects, 304s, failures). */
    static void release(HttpResponse<Body> response) {
        if (response != null && response.body() instanceof Body.Bytes b) {
            b.release();
        }
    }
}
