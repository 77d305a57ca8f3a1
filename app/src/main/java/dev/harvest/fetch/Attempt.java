package dev.harvest.fetch;

import java.net.http.HttpResponse;

/**
 * What one exchange ({@link Exchange}) gave: a response (with a note when it is a redirect that
 * was not followed) or an error. {@link AttemptClassifier} turns it into a result.
 *
 * @param response the last response, or null when none arrived
 * @param error    why no response arrived, or null
 * @param note     why a redirect response was not followed, or null
 */
record Attempt(HttpResponse<Body> response, Throwable error, String note) {

    /** Gives a dropped response's in-memory body back to the budget (redirects, 304s, failures). */
    static void release(HttpResponse<Body> response) {
        if (response != null && response.body() instanceof Body.Bytes b) {
            b.release();
        }
    }
}
