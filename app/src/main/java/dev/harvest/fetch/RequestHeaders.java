package dev.harvest.fetch;

import java.util.ArrayList;
import java.util.List;

/**
 * The headers a request carries, as the name/value array {@code HttpRequest.Builder.headers} takes:
 * the job's own (its {@code --header}s, a User-Agent, the bearer token) and, for a conditional
 * request, the previous run's validators.
 */
final class RequestHeaders {
    /** No headers; shared, as an empty array cannot change. */
    static final String[] NONE = new String[0];

    private RequestHeaders() {
    }

    /** What every request of the job carries. */
    static String[] of(RequestSettings request) {
        List<String> h = new ArrayList<>();
        for (RequestHeader header : request.headers()) {
            h.add(header.name());
            h.add(header.value());
        }
        if (request.headers().stream().noneMatch(header -> header.key().equals("user-agent"))) {
            h.add("User-Agent"); // instead of the JDK client's Java-http-client/<version>
            h.add(request.userAgent());
        }
        if (request.token() != null) {
            h.add("Authorization");
            h.add(request.token().headerValue());
        }
        return h.toArray(String[]::new);
    }

    /** The previous run's validators as request headers, or none when {@code last} is null. */
    static String[] conditional(LastFetch last) {
        if (last == null) {
            return NONE;
        }
        List<String> h = new ArrayList<>(4);
        if (last.validators().etag() != null) {
            h.add("If-None-Match");
            h.add(last.validators().etag());
        }
        if (last.validators().lastModified() != null) {
            h.add("If-Modified-Since");
            h.add(last.validators().lastModified());
        }
        return h.toArray(String[]::new);
    }
}
