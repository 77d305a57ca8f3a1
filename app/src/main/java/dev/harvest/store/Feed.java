package dev.harvest.store;

import java.util.List;

/**
 * One parsed feed: its own title and its items in document order.
 *
 * @param title the channel's (RSS) or feed's (Atom) title, or null
 * @param items the items (RSS) or entries (Atom)
 */
record Feed(String title, List<FeedItem> items) {
    Feed {
        items = List.copyOf(items);
    }
}
