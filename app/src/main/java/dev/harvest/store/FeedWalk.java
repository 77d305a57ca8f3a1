package dev.harvest.store;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * One pass over a feed document after its root element: the feed's title and its items, with the
 * {@code xml:base} in force at each element. Elements named like items that the dialect does not
 * own make the feed an error when no item was found, never "ok" with no rows.
 */
final class FeedWalk {
    private static final Set<String> ITEM_NAMES = Set.of("item", "entry");
    private static final String XML_NS = XMLConstants.XML_NS_URI;
    private static final String DC = FeedItemFields.DC;

    private final XMLStreamReader r;
    private final FeedDialect dialect;
    private final String rootNs;
    private final List<URI> bases = new ArrayList<>();
    private final List<FeedItem> items = new ArrayList<>();
    private String feedTitle;
    private String feedDcTitle;
    private int containerDepth;
    private int strangeItems;
    private String strangeName;
    private String strangeNs;

    FeedWalk(XMLStreamReader r, FeedDialect dialect, String rootNs, URI rootBase) {
        this.r = r;
        this.dialect = dialect;
        this.rootNs = rootNs;
        this.containerDepth = dialect.hasChannel() ? -1 : 1;
        bases.add(null); // depth 0: above the root
        bases.add(rootBase);
    }

    Feed run() throws XMLStreamException, FeedParser.BadFeedException {
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
            if (name.equals("channel") && dialect.hasChannel() && dialect.owns(ns, rootNs) && containerDepth < 0) {
                containerDepth = depth;
            } else if (name.equals(dialect.itemName()) && dialect.owns(ns, rootNs)) {
                items.add(item(depth, ns));
                depth--; // the item was read up to and including its end tag
            } else if (depth == containerDepth + 1 && name.equals("title")
                    && (dialect.owns(ns, rootNs) || DC.equals(ns))) {
                String t = XmlText.text(r);
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
            throw new FeedParser.BadFeedException(strangeItems + " <" + strangeName + "> element(s)"
                    + (strangeNs == null || strangeNs.isEmpty() ? " without a namespace"
                            : " in namespace " + FeedParser.shorten(strangeNs))
                    + " are not items of this " + dialect.family() + " feed"
                    + (rootNs == null || rootNs.isEmpty() ? "" : " (namespace " + FeedParser.shorten(rootNs) + ")"));
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
    private FeedItem item(int itemDepth, String itemNs) throws XMLStreamException {
        FeedItemFields item = new FeedItemFields();
        item.guid = dialect.itemAbout(r);
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
    private boolean field(FeedItemFields item, URI base, String itemNs) throws XMLStreamException {
        String ns = r.getNamespaceURI();
        if (DC.equals(ns)) {
            return item.readDublinCore(r);
        }
        if (!(ns == null ? "" : ns).equals(itemNs == null ? "" : itemNs)) {
            return false;
        }
        return dialect.readField(item, r, base);
    }
}
