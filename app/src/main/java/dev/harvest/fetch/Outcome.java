package dev.harvest.fetch;

/**
 * What the pipeline hands to the store stage for one input line: the line, and what fetching it
 * gave (for a line that was never fetched, an invalid ID or URL, a {@link FetchResult.Failure}).
 * It lives beside {@link FetchResult} so the pipeline passes it on without depending on the store.
 *
 * @param line   the input line number
 * @param id     the ID as read
 * @param rowUrl the row's own URL as read ({@code --url-column}), else null
 * @param target where it was fetched from (and for a download, its final file); null when its URL was refused
 * @param result what fetching it gave
 */
public record Outcome(long line, String id, String rowUrl, Target target, FetchResult result) {
}
