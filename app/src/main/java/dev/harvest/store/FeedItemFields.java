package dev.harvest.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The fields of the item being read, filled by the dialect's field readers and by Dublin Core
 * elements ({@code dc:title}, {@code dc:date}, {@code dc:creator}), which any dialect may use and
 * which count only where the dialect's own field is missing.
 */
final class FeedItemFields {
    static final String DC = "http://purl.org/dc/elements/1.1/";

    String title;
    String dcTitle;
    String link;
    String guid;
    String published;
    String updated;
    String dcDate;
    String author;
    String dcCreator;

    /** Reads a Dublin Core field the reader is on; true when it was one and was consumed. */
    boolean readDublinCore(XMLStreamReader r) throws XMLStreamException {
        switch (r.getLocalName()) {
            case "date" -> dcDate = first(dcDate, XmlText.text(r));
            case "title" -> dcTitle = first(dcTitle, XmlText.text(r));
            case "creator" -> dcCreator = first(dcCreator, XmlText.text(r));
            default -> {
                return false;
            }
        }
        return true;
    }

    FeedItem toItem() {
        String upd = date(updated != null ? updated : dcDate);
        String pub = published != null ? date(published) : upd;
        return new FeedItem(title != null ? title : dcTitle, link, guid, pub, upd,
                author != null ? author : dcCreator);
    }

    static String first(String had, String now) {
        return had != null ? had : now;
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
}
