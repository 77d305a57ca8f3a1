package dev.harvest.store;

import java.net.URI;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * An Atom entry's fields: {@code title}, the alternate {@code link}'s href, {@code id},
 * {@code published} (0.3: {@code issued}, {@code created}), {@code updated} (0.3: {@code modified})
 * and the {@code author}'s name.
 */
final class AtomFields {
    private AtomFields() {
    }

    /** Reads the field the reader is on; true when it was one and was consumed. The first of each wins. */
    static boolean read(FeedItemFields item, XMLStreamReader r, URI base) throws XMLStreamException {
        switch (r.getLocalName()) {
            case "link" -> {
                String rel = r.getAttributeValue(null, "rel");
                if (item.link == null && (rel == null || rel.equals("alternate"))) {
                    item.link = FeedLinks.resolve(base, r.getAttributeValue(null, "href"));
                }
                return false; // an empty element: its end tag is still to come
            }
            case "title" -> item.title = FeedItemFields.first(item.title, XmlText.text(r));
            case "id" -> item.guid = FeedItemFields.first(item.guid, XmlText.text(r));
            case "published", "issued", "created" -> item.published = FeedItemFields.first(item.published, XmlText.text(r));
            case "updated", "modified" -> item.updated = FeedItemFields.first(item.updated, XmlText.text(r));
            case "author" -> item.author = FeedItemFields.first(item.author, XmlText.authorName(r));
            default -> {
                return false;
            }
        }
        return true;
    }
}
