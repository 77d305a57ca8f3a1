package dev.harvest.fetch;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the fetch stage needs of a job: where each ID's URL comes from, what every request carries,
 * how the client connects, and what becomes of a body (held, or saved to a file).
 *
 * @param url            the endpoint template, or null with {@code --url-column} (and for {@code harvest verify})
 * @param headers        extra request headers ({@code Accept-Encoding: gzip} with {@code compressed})
 * @param token          bearer token, or null
 * @param httpVersion    HTTP/1.1 or HTTP/2
 * @param connectTimeout connection timeout
 * @param timeout        whole-exchange timeout
 * @param maxBody        largest body accepted
 * @param redirects      redirect policy
 * @param userAgent      the User-Agent sent unless {@link #headers} has one: {@code --user-agent} or harvest/version
 * @param caFile         certificate authorities trusted besides the JDK's defaults ({@code --ca-file}), or null
 * @param proxy          the HTTP proxies: {@code --proxy}, else curl's environment variables
 * @param compressed     ask for gzip and inflate gzip bodies
 * @param mode           the job's shape: JSON rows, downloads or feeds; template or per-row URLs
 */
public record RequestSettings(UrlTemplate url, List<RequestHeader> headers, BearerToken token,
                              HttpClient.Version httpVersion, Duration connectTimeout, Duration timeout, long maxBody,
                              RedirectPolicy redirects, String userAgent, TrustedCertificates caFile,
                              ProxySettings proxy, boolean compressed, JobMode mode) {

    public RequestSettings {
        headers = List.copyOf(headers);
    }

    /** The job's secrets: what must never appear in text harvest writes ({@link Secrets}). */
    public Secrets secrets() {
        List<String> supplied = new ArrayList<>();
        headers.stream().filter(RequestHeader::isSensitive).forEach(h -> supplied.add(h.value()));
        if (token != null) {
            supplied.add(token.value());
        }
        if (url != null) {
            supplied.addAll(url.queryValues());
        }
        supplied.addAll(proxy.passwords());
        return Secrets.of(supplied);
    }
}
