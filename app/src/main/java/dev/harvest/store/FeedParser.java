package dev.harvest.store;

import dev.harvest.fetch.OneLine;
import java.io.Reader;
import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads feeds as the web writes them — RSS 0.90, 0.91, 0.92, 1.0 and 2.0 (also in the Userland and
 * Harvard namespaces), Atom 0.3 and 1.0 — with the JDK's own StAX parser, hardened for bodies from
 * anywhere: DTDs are never processed and external entities never resolved, so an XXE document
 * cannot read a local file or reach the network, and an entity bomb ("billion laughs") fails at
 * its first reference instead of expanding. The JDK's {@code jdk.xml.*} limits are set as a second
 * line of defence. The body is decoded by {@link FeedCharset}; relative links are resolved against
 * {@code xml:base} and the feed's own URL ({@link FeedLinks}). A document with items this parser
 * does not recognise is an error, never "ok" with no rows. Used by the store stage's thread only.
 */
final class FeedParser {
    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final String RSS1 = "http://purl.org/rss/1.0/";
    static final String RSS090 = "http://my.netscape.com/rdf/simple/0.9/";
    static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    static final String DC = "http://purl.org/dc/elements/1.1/";
    private static final String XML_NS = XMLConstants.XML_NS_URI;

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
        // Warnings go nowhere: the failed file gets the one fatal error, stderr gets nothing.
        factory.setXMLReporter((message, type, info, location) -> {
        });
    }

    /** A body that is not a readable feed; the message is one line for the failed file. */
    static final class BadFeedException extends Exception {
        private static final long serialVersionUID = 1L;

        BadFeedException(String message) {
            super(message);
        }
    }

    /** The feed's items, in document order (a UTF-8 body without a URL: for tests and samples). */
    List<FeedItem> parse(byte[] body) throws BadFeedException {
        return parse(body, null, null).items();
    }

    /**
     * Parses one feed.
     *
     * @param body        the raw body
     * @param contentType the response's Content-Type (its charset wins over the XML declaration), or null
     * @param documentUri the feed's own URL, the base of relative links, or null
     */
    Feed parse(byte[] body, String contentType, URI documentUri) throws BadFeedException {
        Reader text = FeedCharset.decode(body, contentType);
        XMLStreamReader r = null;
        try {
            r = factory.createXMLStreamReader(text);
            while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
                // prolog: declaration, comments, an (unprocessed) DOCTYPE
            }
            if (!r.isStartElement()) {
                throw new BadFeedException("no root element");
            }
            Dialect dialect = Dialect.of(r.getLocalName(), r.getNamespaceURI());
            if (dialect == null) {
                String ns = r.getNamespaceURI();
                throw new BadFeedException("root element <" + shorten(r.getLocalName()) + ">"
                        + (ns == null || ns.isEmpty() ? "" : " in namespace " + shorten(ns))
                        + " is not an RSS (<rss>, <rdf:RDF>) or Atom (<feed>) feed");
            }
            URI base = FeedLinks.rebase(documentUri, r.getAttributeValue(XML_NS, "base"));
            return new Walk(r, dialect, r.getNamespaceURI(), base).run();
        } catch (XMLStreamException e) {
            throw new BadFeedException(describe(e));
        } catch (RuntimeException e) {
            // The JDK parser reports some limit breaches unchecked.
            throw new BadFeedException("not a readable feed: " + OneLine.of(String.valueOf(e.getMessage()), 200));
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

    /** The feed formats: where their items are, and which namespaces their elements use. */
    private enum Dialect {
        /** {@code <rss>} 0.91–2.0: items and fields in the root's namespace (none, Userland's or Harvard's). */
        RSS,
        /** {@code <rdf:RDF>}: RSS 1.0 or RSS 0.90, items beside the channel. */
        RDF,
        /** {@code <feed>}: Atom 1.0 or 0.3 (or a pre-0.3 draft in its own namespace, or none). */
        ATOM;

        static Dialect of(String root, String ns) {
            return switch (root) {
                case "rss" -> RSS;
                case "RDF" -> FeedParser.RDF.equals(ns) ? RDF : null;
                // Atom 1.0, 0.3, and the drafts before it had a name (Echo, Pie, Necho): any namespace
                case "feed" -> ATOM;
                default -> null;
            };
        }

        /** The element name of an item. */
        String itemName() {
            return this == ATOM ? "entry" : "item";
        }

        /** Whether {@code ns} is a namespace this dialect's items and fields use, given the root's. */
        boolean owns(String ns, String rootNs) {
            String n = ns == null ? "" : ns;
            return this == RDF ? n.equals(RSS1) || n.equals(RSS090) : n.equals(rootNs == null ? "" : rootNs);
        }
    }

    /** One pass over the document after its root element. */
    private static final class Walk {
        private static final Set<String> ITEM_NAMES = Set.of("item", "entry");

        private final XMLStreamReader r;
        private final Dialect dialect;
        private final String rootNs;
        private final List<URI> bases = new ArrayList<>();
        private final List<FeedItem> items = new ArrayList<>();
        private String feedTitle;
        private String feedDcTitle;
        private int containerDepth;
        private int strangeItems;
        private String strangeName;
        private String strangeNs;

        Walk(XMLStreamReader r, Dialect dialect, String rootNs, URI rootBase) {
            this.r = r;
            this.dialect = dialect;
            this.rootNs = rootNs;
            this.containerDepth = dialect == Dialect.ATOM ? 1 : -1;
            bases.add(null); // depth 0: above the root
            bases.add(rootBase);
        }

        Feed run() throws XMLStreamException, BadFeedException {
            int depth = 1;
            while (r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                    continue;
                }
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                depth++;
                URI base = enter(depth);
                String name = r.getLocalName();
                String ns = r.getNamespaceURI();
                if (name.equals("channel") && dialect != Dialect.ATOM && dialect.owns(ns, rootNs) && containerDepth < 0) {
                    containerDepth = depth;
                } else if (name.equals(dialect.itemName()) && dialect.owns(ns, rootNs)) {
                    items.add(item(depth, base, ns));
                    depth--; // the item was read up to and including its end tag
                } else if (depth == containerDepth + 1 && name.equals("title")
                        && (dialect.owns(ns, rootNs) || DC.equals(ns))) {
                    String t = text(r);
                    depth--;
                    if (DC.equals(ns)) {
                        feedDcTitle = feedDcTitle == null ? t : feedDcTitle;
                    } else {
                        feedTitle = feedTitle == null ? t : feedTitle;
                    }
                } else if (ITEM_NAMES.contains(name)) {
                    strangeItems++;
                    strangeName = name;
                    strangeNs = ns;
                }
            }
            if (items.isEmpty() && strangeItems > 0) {
                throw new BadFeedException(strangeItems + " <" + strangeName + "> element(s)"
                        + (strangeNs == null || strangeNs.isEmpty() ? " without a namespace" : " in namespace " + shorten(strangeNs))
                        + " are not items of this " + (dialect == Dialect.ATOM ? "Atom" : "RSS") + " feed"
                        + (rootNs == null || rootNs.isEmpty() ? "" : " (namespace " + shorten(rootNs) + ")"));
            }
            return new Feed(feedTitle != null ? feedTitle : feedDcTitle, items);
        }

        /** The base URI in force at the element just started (its own {@code xml:base} included). */
        private URI enter(int depth) {
            while (bases.size() > depth) {
                bases.removeLast();
            }
            URI parent = bases.getLast();
            URI base = FeedLinks.rebase(parent, r.getAttributeValue(XML_NS, "base"));
            bases.add(base);
            return base;
        }

        /** Reads one item (the reader is on its start tag) up to and including its end tag. */
        private FeedItem item(int itemDepth, URI itemBase, String itemNs) throws XMLStreamException {
            ItemFields item = new ItemFields();
            if (dialect == Dialect.RDF) {
                item.guid = r.getAttributeValue(FeedParser.RDF, "about");
            }
            int depth = itemDepth;
            while (depth >= itemDepth) {
                int event = r.next();
                if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                } else if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    URI base = enter(depth);
                    if (depth == itemDepth + 1 && field(item, base, itemNs)) {
                        depth--; // the field was read up to and including its end tag
                    }
                }
            }
            return item.toItem();
        }

        /** Reads one child of an item if it is a field; true when it consumed the element. */
        private boolean field(ItemFields item, URI base, String itemNs) throws XMLStreamException {
            String name = r.getLocalName();
            String ns = r.getNamespaceURI();
            if (DC.equals(ns)) {
                switch (name) {
                    case "date" -> item.dcDate = first(item.dcDate, text(r));
                    case "title" -> item.dcTitle = first(item.dcTitle, text(r));
                    case "creator" -> item.dcCreator = first(item.dcCreator, text(r));
                    default -> {
                        return false;
                    }
                }
                return true;
            }
            if (!(ns == null ? "" : ns).equals(itemNs == null ? "" : itemNs)) {
                return false;
            }
            if (dialect == Dialect.ATOM) {
                switch (name) {
                    case "link" -> {
                        String rel = r.getAttributeValue(null, "rel");
                        if (item.link == null && (rel == null || rel.equals("alternate"))) {
                            item.link = FeedLinks.resolve(base, r.getAttributeValue(null, "href"));
                        }
                        return false;
                    }
                    case "title" -> item.title = first(item.title, text(r));
                    case "id" -> item.guid = first(item.guid, text(r));
                    case "published", "issued", "created" -> item.published = first(item.published, text(r));
                    case "updated", "modified" -> item.updated = first(item.updated, text(r));
                    case "author" -> item.author = first(item.author, authorName(r));
                    default -> {
                        return false;
                    }
                }
                return true;
            }
            switch (name) {
                case "title" -> item.title = first(item.title, text(r));
                case "link" -> item.link = first(item.link, FeedLinks.resolve(base, text(r)));
                case "guid" -> item.guid = first(item.guid, text(r));
                case "pubDate" -> item.published = first(item.published, text(r));
                case "author" -> item.author = first(item.author, text(r));
                default -> {
                    return false;
                }
            }
            return true;
        }
    }

    private static String first(String had, String now) {
        return had != null ? had : now;
    }

    /** Atom's {@code <author><name>..</name></author>}: the name, else the element's own text. */
    private static String authorName(XMLStreamReader r) throws XMLStreamException {
        StringBuilder own = new StringBuilder();
        String name = null;
        int depth = 1;
        while (depth > 0) {
            int event = r.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (depth == 1 && name == null && r.getLocalName().equals("name")) {
                        name = text(r); // consumes up to its end tag
                    } else {
                        depth++;
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> depth--;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                    if (depth == 1) {
                        own.append(r.getText());
                    }
                }
                default -> {
                }
            }
        }
        if (name != null) {
            return name;
        }
        String t = own.toString().strip();
        return t.isEmpty() ? null : t;
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
        String dcTitle;
        String link;
        String guid;
        String published;
        String updated;
        String dcDate;
        String author;
        String dcCreator;

        FeedItem toItem() {
            String upd = date(updated != null ? updated : dcDate);
            String pub = published != null ? date(published) : upd;
            return new FeedItem(title != null ? title : dcTitle, link, guid, pub, upd,
                    author != null ? author : dcCreator);
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
        return "not well-formed XML" + where + ": " + OneLine.of(what, 200)
                + (what.contains("entity") ? " (DTDs and entities are never processed)" : "");
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
