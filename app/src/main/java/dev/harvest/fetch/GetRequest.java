package dev.harvest.fetch;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * A GET of one URL with headers made once for the whole job. What {@code HttpRequest.newBuilder}
 * would build, without its cost per request: a builder copies, checks and sorts the headers into
 * a new map and builds another for the request, and the client then checks and copies them once
 * more anyway ({@code HttpRequest.timeout}, version and body are not set, as with the builder's
 * {@code GET()}).
 */
final class GetRequest extends HttpRequest {
    private final URI uri;
    private final HttpHeaders headers;

    /** @param headers the request's headers, shared by every request of the job */
    GetRequest(URI uri, HttpHeaders headers) {
        this.uri = uri;
        this.headers = headers;
    }

    @Override
    public Optional<BodyPublisher> bodyPublisher() {
        return Optional.empty();
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public Optional<Duration> timeout() {
        return Optional.empty();
    }

    @Override
    public boolean expectContinue() {
        return false;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public Optional<HttpClient.Version> version() {
        return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }
}
