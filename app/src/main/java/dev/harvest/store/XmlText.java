package dev.harvest.store;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** An element's text, read from a StAX reader on its start tag up to and including its end tag. */
final class XmlText {
    private XmlText() {
    }

    /** The text inside the current element (nested markup's text included), stripped; null when empty. */
    static String text(XMLStreamReader r) throws XMLStreamException {
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

    /** Atom's {@code <author><name>..</name></author>}: the name, else the element's own text. */
    static String authorName(XMLStreamReader r) throws XMLStreamException {
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
}
