package dev.harvest.store;

import dev.harvest.fetch.OneLine;
import java.io.Reader;
import java.net.URI;
import java.util.List;
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
 * {@code xml:base} and the feed's own URL ({@link FeedLinks}). The root element decides the
 * {@link FeedDialect}; {@link FeedWalk} reads the items. Used by the store stage's thread only.
 */
final class FeedParser {
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
            FeedDialect dialect = FeedDialect.of(r.getLocalName(), r.getNamespaceURI());
            if (dialect == null) {
                String ns = r.getNamespaceURI();
                throw new BadFeedException("root element <" + shorten(r.getLocalName()) + ">"
                        + (ns == null || ns.isEmpty() ? "" : " in namespace " + shorten(ns))
                        + " is not an RSS (<rss>, <rdf:RDF>) or Atom (<feed>) feed");
            }
            URI base = FeedLinks.rebase(documentUri, r.getAttributeValue(XML_NS, "base"));
            return new FeedWalk(r, dialect, r.getNamespaceURI(), base).run();
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

    private static String describe(XMLStreamException e) {
        String m = String.valueOf(e.getMessage());
        int at = m.indexOf("Message: ");
        String what = at >= 0 ? m.substring(at + "Message: ".length()) : m;
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber()
                + ", column " + e.getLocation().getColumnNumber();
        return "not well-formed XML" + where + ": " + OneLine.of(what, 200)
                + (what.contains("entity") ? " (DTDs and entities are never processed)" : "");
    }

    static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
