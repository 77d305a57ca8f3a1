package dev.harvest.fetch;

import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    /** Name/value pairs as {@link HttpHeaders}, for requests that are not built ({@link GetRequest}). */
    static HttpHeaders asHttpHeaders(String[] nameValues) {
        Map<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValues.length; i += 2) {
            m.computeIfAbsent(nameValues[i], name -> new ArrayList<>(1)).add(nameValues[i + 1]);
        }
        return HttpHeaders.of(m, (name, value) -> true);
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
