package dev.harvest.store;

import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Target;

/**
 * What the fetchers hand to the store stage for one input line.
 *
 * @param line   the input line number
 * @param id     the ID as read
 * @param rowUrl the row's own URL as read ({@code --url-column}), else null
 * @param target where it was fetched from (and for a download, its final file); null when its URL was refused
 * @param result what fetching it gave
 */
public record Outcome(long line, String id, String rowUrl, Target target, FetchResult result) {
}
