package dev.harvest.store;

import java.util.List;

/** The fixed results columns of the download and feed shapes, for readers of the results ({@code harvest verify}). */
public final class StoreColumns {
    private StoreColumns() {
    }

    /** {@code id,url,path,bytes,sha256,content_type,http_status}. */
    public static List<String> download() {
        return DownloadRows.COLUMNS;
    }

    /** {@code feed_id,feed_title,title,link,guid,published,updated,author}. */
    public static List<String> feed() {
        return FeedRows.COLUMNS;
    }
}
