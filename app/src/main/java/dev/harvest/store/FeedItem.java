package dev.harvest.store;

/**
 * One item of an RSS feed or entry of an Atom feed, as written to the results. Missing parts are null.
 *
 * @param title     the title's text
 * @param link      RSS {@code link}, or Atom {@code link href} (rel alternate)
 * @param guid      RSS {@code guid} (RSS 1.0: {@code rdf:about}), or Atom {@code id}
 * @param published RSS {@code pubDate} or {@code dc:date}, Atom {@code published} (else {@code updated});
 *                  as an ISO-8601 instant when the date can be read, else as written
 */
record FeedItem(String title, String link, String guid, String published) {
}
