package dev.harvest.store;

import dev.harvest.fetch.FetchResult;

/**
 * What the fetchers hand to the store stage for one input line.
 *
 * @param line   the input line number
 * @param id     the ID as read
 * @param result what fetching it gave
 */
public record Outcome(long line, String id, FetchResult result) {
}
