package dev.harvest.store;

import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.Outcome;
import dev.harvest.fetch.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The failed file's rows: {@code id,reason,http_status,attempts,retryable,message}, and with
 * {@code --url-column} the row's {@code url} too, so the file can be fed straight back in. The
 * message is scrubbed of the job's secrets.
 */
final class FailedRows {
    private static final String[] COLUMNS = {"id", "reason", "http_status", "attempts", "retryable", "message"};

    private final boolean withUrl;
    private final Secrets secrets;

    FailedRows(boolean withUrl, Secrets secrets) {
        this.withUrl = withUrl;
        this.secrets = secrets;
    }

    /** The header line. */
    byte[] header() {
        String[] cells = withUrl ? withUrl(COLUMNS, "url") : COLUMNS;
        return Csv.row(cells).getBytes(StandardCharsets.UTF_8);
    }

    /** One failed ID's row. */
    byte[] row(Outcome o, FailureReason reason, int status, int attempts, boolean retryable, String message) {
        String[] cells = {o.id(), reason.label(), status > 0 ? String.valueOf(status) : "",
                String.valueOf(attempts), String.valueOf(retryable), secrets.scrub(message)};
        if (withUrl) {
            cells = withUrl(cells, o.rowUrl());
        }
        return Csv.row(cells).getBytes(StandardCharsets.UTF_8);
    }

    private static String[] withUrl(String[] cells, String url) {
        String[] c = Arrays.copyOf(cells, cells.length + 1);
        c[cells.length] = url;
        return c;
    }
}
