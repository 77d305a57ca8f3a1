package dev.harvest.store;

/**
 * One item of an RSS feed or entry of an Atom feed, as written to the results. Missing parts are null.
 *
 * @param title     the title's text (RSS {@code title}, else {@code dc:title})
 * @param link      RSS {@code link}, or Atom {@code link href} (rel alternate), made absolute against
 *                  {@code xml:base} and the feed's own URL
 * @param guid      RSS {@code guid} (RSS 1.0: {@code rdf:about}), or Atom {@code id}
 * @param published RSS {@code pubDate}, Atom {@code published} (Atom 0.3: {@code issued}), else
 *                  {@link #updated}; as an ISO-8601 instant when the date can be read, else as written
 * @param updated   Atom {@code updated} (Atom 0.3: {@code modified}), RSS {@code dc:date}; as above
 * @param author    RSS {@code author} or {@code dc:creator}, Atom {@code author/name}
 */
record FeedItem(String title, String link, String guid, String published, String updated, String author) {
}
