package dev.harvest.store;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads RSS 2.0 (and 0.9x), RSS 1.0 and Atom feeds with the JDK's own StAX parser, hardened for
 * bodies from anywhere: DTDs are never processed and external entities never resolved, so an XXE
 * document cannot read a local file or reach the network, and an entity bomb ("billion laughs")
 * fails at its first reference instead of expanding. The JDK's {@code jdk.xml.*} limits are set
 * as a second line of defence. Used by the store stage's thread only.
 */
final class FeedParser {
    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final String RSS1 = "http://purl.org/rss/1.0/";
    static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    static final String DC = "http://purl.org/dc/elements/1.1/";

    private final XMLInputFactory factory;

    FeedParser() {
        // The JDK's implementation, whatever else is on the class path.
        factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        factory.setProperty("jdk.xml.entityExpansionLimit", "64");
        factory.setProperty("jdk.xml.maxGeneralEntitySizeLimit", "4096");
        factory.setProperty("jdk.xml.maxParameterEntitySizeLimit", "4096");
        factory.setProperty("jdk.xml.totalEntitySizeLimit", "65536");
        factory.setProperty("jdk.xml.maxElementDepth", "256");
        factory.setXMLResolver((publicId, systemId, base, namespace) -> {
            throw new XMLStreamException("external resources are never loaded (" + systemId + ")");
        });
    }

    /** A body that is not a readable feed; the message is one line for the failed file. */
    static final class BadFeedException extends Exception {
        BadFeedException(String message) {
            super(message);
        }
    }

    /** The feed's items, in document order. */
    List<FeedItem> parse(byte[] body) throws BadFeedException {
        XMLStreamReader r = null;
        try {
            r = factory.createXMLStreamReader(new ByteArrayInputStream(body));
            while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
                // prolog: declaration, comments, an (unprocessed) DOCTYPE
            }
            if (!r.isStartElement()) {
                throw new BadFeedException("no root element");
            }
            Dialect dialect = Dialect.of(r.getLocalName(), r.getNamespaceURI());
            if (dialect == null) {
                throw new BadFeedException("root element <" + shorten(r.getLocalName())
                        + "> is not an RSS (<rss>, <rdf:RDF>) or Atom (<feed>) feed");
            }
            return items(r, dialect);
        } catch (XMLStreamException e) {
            throw new BadFeedException(describe(e));
        } catch (RuntimeException e) {
            // The JDK parser reports some limit breaches unchecked.
            throw new BadFeedException("not a readable feed: " + oneLine(String.valueOf(e.getMessage())));
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing held but memory
                }
            }
        }
    }

    private static List<FeedItem> items(XMLStreamReader r, Dialect dialect) throws XMLStreamException {
        List<FeedItem> items = new ArrayList<>();
        int depth = 1;
        int itemDepth = -1;
        ItemFields item = null;
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (item == null) {
                    if (dialect.isItem(r.getLocalName(), r.getNamespaceURI())) {
                        item = new ItemFields();
                        itemDepth = depth;
                        if (dialect == Dialect.RSS1) {
                            item.guid = r.getAttributeValue(RDF, "about");
                        }
                    }
                } else if (depth == itemDepth + 1) {
                    if (dialect.field(item, r)) {
                        depth--; // the field's text was read up to and including its end tag
                    }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                if (item != null && depth == itemDepth) {
                    items.add(item.toItem());
                    item = null;
                }
                depth--;
            }
        }
        return items;
    }

    /** The three feed formats and where their item fields are. */
    private enum Dialect {
        RSS2, RSS1, ATOM;

        static Dialect of(String root, String ns) {
            return switch (root) {
                case "rss" -> RSS2;
                case "RDF" -> RDF.equals(ns) ? RSS1 : null;
                case "feed" -> FeedParser.ATOM.equals(ns) ? ATOM : null;
                default -> null;
            };
        }

        boolean isItem(String name, String ns) {
            return this == ATOM ? name.equals("entry") && FeedParser.ATOM.equals(ns)
                    : name.equals("item") && rssNamespace(ns);
        }

        private boolean rssNamespace(String ns) {
            return this == RSS2 ? ns == null || ns.isEmpty() : FeedParser.RSS1.equals(ns);
        }

        /** Reads one child of an item if it is a field; returns true when it consumed the element. */
        boolean field(ItemFields item, XMLStreamReader r) throws XMLStreamException {
            String name = r.getLocalName();
            String ns = r.getNamespaceURI();
            if (this == ATOM) {
                if (!FeedParser.ATOM.equals(ns)) {
                    return false;
                }
                switch (name) {
                    case "link" -> {
                        String rel = r.getAttributeValue(null, "rel");
                        if (item.link == null && (rel == null || rel.equals("alternate"))) {
                            item.link = r.getAttributeValue(null, "href");
                        }
                        return false;
                    }
                    case "title" -> item.title = text(r);
                    case "id" -> item.guid = text(r);
                    case "published" -> item.published = text(r);
                    case "updated" -> item.updated = text(r);
                    default -> {
                        return false;
                    }
                }
                return true;
            }
            if (DC.equals(ns) && name.equals("date")) {
                item.updated = text(r);
                return true;
            }
            if (!rssNamespace(ns)) {
                return false;
            }
            switch (name) {
                case "title" -> item.title = text(r);
                case "link" -> item.link = text(r);
                case "guid" -> item.guid = text(r);
                case "pubDate" -> item.published = text(r);
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    /** The text inside the current element (nested markup's text included), up to its end tag. */
    private static String text(XMLStreamReader r) throws XMLStreamException {
        StringBuilder sb = new StringBuilder();
        int depth = 1;
        while (depth > 0) {
            int event = r.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> depth--;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE ->
                        sb.append(r.getText());
                default -> {
                }
            }
        }
        String t = sb.toString().strip();
        return t.isEmpty() ? null : t;
    }

    /** Mutable fields of the item being read. */
    private static final class ItemFields {
        String title;
        String link;
        String guid;
        String published;
        String updated;

        FeedItem toItem() {
            return new FeedItem(title, link, guid, date(published != null ? published : updated));
        }
    }

    /** RFC 822 (RSS) or RFC 3339 (Atom) dates as ISO-8601 instants; anything else as written. */
    static String date(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toString();
        } catch (DateTimeParseException e) {
            // not RFC 3339
        }
        try {
            return ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toString();
        } catch (DateTimeParseException e) {
            // not RFC 822 with a numeric or GMT zone
        }
        try {
            return Instant.parse(text).toString();
        } catch (DateTimeParseException e) {
            return text;
        }
    }

    private static String describe(XMLStreamException e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf("Message: ");
        String what = at >= 0 ? m.substring(at + "Message: ".length()) : m;
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber()
                + ", column " + e.getLocation().getColumnNumber();
        return "not well-formed XML" + where + ": " + oneLine(what)
                + (what.contains("entity") ? " (DTDs and entities are never processed)" : "");
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }
}
