package dev.harvest.fetch;

/**
 * Why an ID ended in the failed file. The labels are the {@code reason} column's values and are
 * part of harvest's documented interface: scripts may match on them.
 */
public enum FailureReason {
    /** The input line cannot be an ID (too long, control characters, not UTF-8). */
    INVALID_ID("invalid_id"),
    /** The row's URL ({@code --url-column}) is not an absolute http/https URL with a host; nothing was sent. */
    INVALID_URL("invalid_url"),
    /** 404 Not Found. */
    HTTP_404("http_404"),
    /** 429 Too Many Requests, still after the retries. */
    HTTP_429("http_429"),
    /** Another 4xx status. */
    HTTP_4XX("http_4xx"),
    /** A 5xx status. */
    HTTP_5XX("http_5xx"),
    /** A redirect that was not followed (another host, too many hops, or --follow-redirects never). */
    HTTP_3XX("http_3xx"),
    /** A status outside 2xx to 5xx: a 1xx, or a number outside 100 to 599 (such as 999). */
    HTTP_OTHER("http_other"),
    /** The exchange took longer than --timeout (headers or body). */
    TIMEOUT("timeout"),
    /** The connection could not be opened (refused, unreachable, connect timeout, unknown host). */
    CONNECT("connect"),
    /** The connection broke mid-exchange: reset, truncated body, garbled response. */
    NETWORK("network"),
    /** The TLS handshake failed (for example an untrusted certificate). */
    TLS("tls"),
    /** The body was larger than --max-body. */
    BODY_TOO_LARGE("body_too_large"),
    /** A 2xx response with no body. */
    EMPTY_BODY("empty_body"),
    /** A 2xx response whose Content-Type is not JSON. */
    BAD_CONTENT_TYPE("bad_content_type"),
    /** A 2xx response whose body is not valid JSON (invalid UTF-8 included). */
    BAD_JSON("bad_json"),
    /** Valid JSON without the array --records points to. */
    NO_RECORDS("no_records"),
    /** A feed ({@code --parse rss}) that is not well-formed XML, uses entities (DTDs are never processed), or is not RSS or Atom. */
    BAD_XML("bad_xml");

    private final String label;

    FailureReason(String label) {
        this.label = label;
    }

    /** The value written in the failed file's reason column. */
    public String label() {
        return label;
    }

    /** The reason for a non-2xx status. */
    public static FailureReason forStatus(int status) {
        if (status == 404) {
            return HTTP_404;
        }
        if (status == 429) {
            return HTTP_429;
        }
        return switch (status / 100) {
            case 5 -> HTTP_5XX;
            case 4 -> HTTP_4XX;
            case 3 -> HTTP_3XX;
            default -> HTTP_OTHER; // 1xx, or no HTTP status class at all (999 is not a server error)
        };
    }

    /** Whether a response with this status may succeed if asked again. */
    public static boolean isTransientStatus(int status) {
        return switch (status) {
            case 408, 425, 429, 500, 502, 503, 504 -> true;
            default -> false;
        };
    }
}
