package dev.harvest.store;

import java.net.URI;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** An RSS (and RDF) item's fields: {@code title}, {@code link}, {@code guid}, {@code pubDate}, {@code author}. */
final class RssFields {
    private RssFields() {
    }

    /** Reads the field the reader is on; true when it was one (and was consumed). The first of each wins. */
    static boolean read(FeedItemFields item, XMLStreamReader r, URI base) throws XMLStreamException {
        switch (r.getLocalName()) {
            case "title" -> item.title = FeedItemFields.first(item.title, XmlText.text(r));
            case "link" -> item.link = FeedItemFields.first(item.link, FeedLinks.resolve(base, XmlText.text(r)));
            case "guid" -> item.guid = FeedItemFields.first(item.guid, XmlText.text(r));
            case "pubDate" -> item.published = FeedItemFields.first(item.published, XmlText.text(r));
            case "author" -> item.author = FeedItemFields.first(item.author, XmlText.text(r));
            default -> {
                return false;
            }
        }
        return true;
    }
}
