package dev.harvest.store;

import java.net.URI;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The feed formats: where their items are, which namespaces their elements use, and which of an
 * item's elements are its fields. RSS and RDF items have the same fields ({@link RssFields});
 * Atom entries have their own ({@link AtomFields}).
 */
enum FeedDialect {
    /** {@code <rss>} 0.91–2.0: items and fields in the root's namespace (none, Userland's or Harvard's). */
    RSS,
    /** {@code <rdf:RDF>}: RSS 1.0 or RSS 0.90, items beside the channel. */
    RDF,
    /** {@code <feed>}: Atom 1.0 or 0.3 (or a pre-0.3 draft in its own namespace, or none). */
    ATOM;

    static final String RSS1 = "http://purl.org/rss/1.0/";
    static final String RSS090 = "http://my.netscape.com/rdf/simple/0.9/";
    static final String RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

    /** The dialect of a root element, or null when it is not a feed. */
    static FeedDialect of(String root, String ns) {
        return switch (root) {
            case "rss" -> RSS;
            case "RDF" -> RDF_NS.equals(ns) ? RDF : null;
            // Atom 1.0, 0.3, and the drafts before it had a name (Echo, Pie, Necho): any namespace
            case "feed" -> ATOM;
            default -> null;
        };
    }

    /** The element name of an item. */
    String itemName() {
        return this == ATOM ? "entry" : "item";
    }

    /** Whether the feed's title sits in a container ({@code <channel>}) rather than in the root. */
    boolean hasChannel() {
        return this != ATOM;
    }

    /** Whether {@code ns} is a namespace this dialect's items and fields use, given the root's. */
    boolean owns(String ns, String rootNs) {
        String n = ns == null ? "" : ns;
        return this == RDF ? n.equals(RSS1) || n.equals(RSS090) : n.equals(rootNs == null ? "" : rootNs);
    }

    /** What names the item before any field does: RSS 1.0's {@code rdf:about}. */
    String itemAbout(XMLStreamReader r) {
        return this == RDF ? r.getAttributeValue(RDF_NS, "about") : null;
    }

    /**
     * Reads the item's child element the reader is on (in the item's namespace) if it is one of
     * this dialect's fields.
     *
     * @return true when it consumed the element up to its end tag
     */
    boolean readField(FeedItemFields item, XMLStreamReader r, URI base) throws XMLStreamException {
        return this == ATOM ? AtomFields.read(item, r, base) : RssFields.read(item, r, base);
    }

    /** For messages: the family's name. */
    String family() {
        return this == ATOM ? "Atom" : "RSS";
    }
}
