package dev.harvest.config;

import dev.harvest.fetch.BearerToken;
import dev.harvest.fetch.JobMode;
import dev.harvest.fetch.MemoryPlan;
import dev.harvest.fetch.ProxySettings;
import dev.harvest.fetch.RedirectPolicy;
import dev.harvest.fetch.RequestHeader;
import dev.harvest.fetch.RequestSettings;
import dev.harvest.fetch.Secrets;
import dev.harvest.fetch.TrustedCertificates;
import dev.harvest.fetch.UrlTemplate;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link RequestSettings} of a job: the URL, headers, token, TLS, proxy, timeouts and
 * body limit. Secrets read here (a token, a header's value) never appear in an error.
 */
final class RequestParser {
    /** Highest {@code --max-body} when bodies are held in memory (one Java array, and the heap). */
    static final long MAX_BODY_IN_MEMORY = 1L << 30;
    /** Highest {@code --max-body} with {@code --save-to} (bodies stream to disk). */
    static final long MAX_BODY_DOWNLOAD = 1L << 40;
    /** Largest {@code --ca-file} read (a bundle of a few hundred certificates fits). */
    private static final int MAX_CA_FILE_BYTES = 1 << 20;

    private RequestParser() {
    }

    /**
     * @param mode  the job's shape (its URL column, and whether bodies are saved to files)
     * @param isRun false for {@code harvest verify}, which has no URL
     */
    static RequestSettings parse(SettingReader r, Map<String, String> env, JobMode mode, boolean isRun)
            throws ConfigException {
        if (isRun && mode.perRowUrls() && r.value("url") != null) {
            throw new ConfigException("give --url (a template with {id}) or --url-column (a URL in each input row), not both");
        }
        UrlTemplate url = !isRun || mode.perRowUrls() ? null
                : url(r.required("url", "--url TEMPLATE is required, e.g. https://api.example.com/customers/{id}"
                        + " (or --url-column for input rows that bring their own URL)").value());
        List<RequestHeader> headers = headers(r);
        boolean compressed = Values.bool(r.get("compressed"));
        if (compressed) {
            if (headers.stream().anyMatch(h -> h.key().equals("accept-encoding"))) {
                throw new ConfigException("give either --compressed or an Accept-Encoding header, not both");
            }
            if (r.value("save-to") != null) {
                throw new ConfigException("--compressed inflates bodies held in memory; --save-to saves each body as sent");
            }
            headers.add(new RequestHeader("Accept-Encoding", "gzip"));
        }
        BearerToken token = TokenParser.parse(r, env);
        TrustedCertificates caFile = caFile(r);
        if (token != null && headers.stream().anyMatch(h -> h.key().equals("authorization"))) {
            throw new ConfigException("give either an Authorization header or --token-env/--token-file, not both");
        }
        HttpClient.Version version = switch (r.get("http-version").value().strip()) {
            // HTTP/2 over TLS: one handshake per 100 in flight instead of one per request, 0.6x the
            // CPU and wall at 1,000 in flight (docs/performance.md); ALPN falls back to 1.1 by itself.
            // Plain http and row URLs stay HTTP/1.1: h2 there would mean an h2c Upgrade dance.
            case "auto" -> url != null && url.origin().getScheme().equalsIgnoreCase("https")
                    ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
            case "1.1", "http/1.1", "HTTP/1.1" -> HttpClient.Version.HTTP_1_1;
            case "2", "h2", "http/2", "HTTP/2" -> HttpClient.Version.HTTP_2;
            default -> throw Values.bad(r.get("http-version"), "expected auto, 1.1 or 2");
        };
        long maxBody = maxBody(r.get("max-body"), mode);
        return new RequestSettings(url, headers, token, version, Values.positive(r.get("connect-timeout")),
                Values.positive(r.get("timeout")), maxBody,
                Values.choice(r.get("follow-redirects"), RedirectPolicy.class, "never", "same-host"),
                userAgent(r, headers), caFile, proxy(r, env), compressed, mode);
    }

    private static UrlTemplate url(String template) throws ConfigException {
        try {
            return UrlTemplate.parse(template);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static List<RequestHeader> headers(SettingReader r) throws ConfigException {
        List<RequestHeader> headers = new ArrayList<>();
        for (Setting s : r.all("header")) {
            RequestHeader h = RequestHeader.parse(s.value());
            if (h == null) {
                // The text is not repeated: it may be a secret with a typo for its colon.
                throw new ConfigException(s.origin() + ": expected 'Name: value' (the text is not shown, as it may hold a secret)");
            }
            String problem = h.problem();
            if (problem != null) {
                throw new ConfigException(s.origin() + ": " + problem);
            }
            if (Secrets.unsendable(h.value())) {
                throw new ConfigException(s.origin() + ": the value of header " + h.name() + " holds a control character"
                        + " (a newline, a tab...) or a character above U+00FF, which no request can carry (the value is not shown)");
            }
            headers.add(h);
        }
        return headers;
    }

    /** {@code --proxy} / {@code --no-proxy}, else the environment's proxies, as curl reads them. */
    private static ProxySettings proxy(SettingReader r, Map<String, String> env) throws ConfigException {
        Setting flag = r.get("proxy");
        try {
            return ProxySettings.of(flag == null ? null : flag.value(), Values.bool(r.get("no-proxy")), env);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /**
     * {@code --user-agent}, else {@code harvest/<version>}, so a server's operator can tell harvest's
     * requests from others. A {@code User-Agent} header replaces it; giving both is ambiguous.
     */
    private static String userAgent(SettingReader r, List<RequestHeader> headers) throws ConfigException {
        String given = r.value("user-agent");
        if (given != null && headers.stream().anyMatch(h -> h.key().equals("user-agent"))) {
            throw new ConfigException("give either --user-agent or a User-Agent header, not both");
        }
        if (given == null) {
            return BuildInfo.current().userAgent();
        }
        String problem = new RequestHeader("User-Agent", given).problem();
        if (problem != null) {
            throw new ConfigException(r.get("user-agent").origin() + ": " + problem);
        }
        return given;
    }

    /**
     * --max-body: bodies held in memory live in one array and must fit the heap ({@link MemoryPlan}:
     * the built-in default shrinks to fit a small heap; a value given that does not fit is an
     * error); downloads stream to disk.
     */
    private static long maxBody(Setting s, JobMode mode) throws ConfigException {
        if (mode.kind() == JobMode.Kind.DOWNLOAD) {
            return Values.size(s, MAX_BODY_DOWNLOAD, "from 1 byte to 1TiB (with --save-to)");
        }
        long v = Values.size(s, MAX_BODY_IN_MEMORY, "from 1 byte to 1GiB (bodies are held in memory; --save-to streams up to 1TiB)");
        long fits = MemoryPlan.maxBodyInMemory();
        if (v <= fits) {
            return v;
        }
        if (s.origin().equals("default")) {
            return fits;
        }
        throw Values.bad(s, "at most " + (fits >> 20) + "MiB with this heap (an eighth of the "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB the JVM can use; bodies are held in memory):"
                + " give a smaller size or a bigger heap (HARVEST_JAVA_OPTS=-Xmx...)");
    }

    /** The {@code --ca-file} certificates, read with a bound and checked now, not at the first request. */
    private static TrustedCertificates caFile(SettingReader r) throws ConfigException {
        String file = r.value("ca-file");
        if (file == null) {
            return null;
        }
        String what = "--ca-file " + file;
        String pem = BoundedFile.read(Path.of(file), what, MAX_CA_FILE_BYTES, "1 MiB");
        try {
            return TrustedCertificates.parse(pem);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(what + ": " + e.getMessage());
        }
    }
}
