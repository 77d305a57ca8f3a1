package dev.harvest.fetch;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which HTTP proxy each request goes through, the way curl decides it: {@code --proxy URL} for
 * every request, else {@code https_proxy}/{@code HTTPS_PROXY} for https URLs and
 * {@code http_proxy}/{@code HTTP_PROXY} for http URLs (then {@code all_proxy}/{@code ALL_PROXY}),
 * except hosts on {@code no_proxy}/{@code NO_PROXY}. Only {@code http://} proxies: the JDK client
 * speaks no other kind.
 *
 * @param http     proxy for http URLs, or null for none
 * @param https    proxy for https URLs, or null for none
 * @param noProxy  hosts reached directly (see {@link NoProxy})
 */
public record ProxySettings(Endpoint http, Endpoint https, NoProxy noProxy) {

    /** No proxy at all ({@code --proxy ''}, {@code --no-proxy}, or nothing configured). */
    public static final ProxySettings NONE = new ProxySettings(null, null, NoProxy.parse(""));

    /**
     * The job's proxies.
     *
     * @param flag     {@code --proxy}: null when not given, empty to turn proxies off
     * @param disabled {@code --no-proxy}
     * @param env      the environment harvest was given
     * @throws IllegalArgumentException with a message fit for the operator (no password in it)
     */
    public static ProxySettings of(String flag, boolean disabled, Map<String, String> env) {
        if (disabled || flag != null && flag.isBlank()) {
            return NONE;
        }
        if (flag != null) {
            Endpoint p = Endpoint.parse(flag.strip(), "--proxy");
            return new ProxySettings(p, p, NoProxy.parse(""));
        }
        Endpoint all = fromEnv(env, "all_proxy");
        Endpoint http = fromEnv(env, "http_proxy");
        Endpoint https = fromEnv(env, "https_proxy");
        String noProxy = firstSet(env, "no_proxy");
        return new ProxySettings(http != null ? http : all, https != null ? https : all,
                NoProxy.parse(noProxy == null ? "" : noProxy));
    }

    private static Endpoint fromEnv(Map<String, String> env, String lower) {
        String name = env.get(lower) != null && !env.get(lower).isBlank() ? lower : lower.toUpperCase(Locale.ROOT);
        String v = env.get(name);
        return v == null || v.isBlank() ? null : Endpoint.parse(v.strip(), "$" + name);
    }

    private static String firstSet(Map<String, String> env, String lower) {
        String v = env.get(lower);
        return v != null ? v : env.get(lower.toUpperCase(Locale.ROOT));
    }

    /** Whether any request may go through a proxy. */
    public boolean any() {
        return http != null || https != null;
    }

    /** The proxy for this URL, or null to connect directly. */
    public Endpoint forUri(URI uri) {
        Endpoint p = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        return p == null || uri.getHost() == null || noProxy.matches(uri.getHost()) ? null : p;
    }

    /**
     * Sets the builder's proxy selector (always: without one the client would use the JVM's
     * default selector and its system properties) and, for a proxy URL with credentials, an
     * authenticator answering the proxy's challenges.
     */
    public HttpClient.Builder applyTo(HttpClient.Builder builder) {
        builder.proxy(selector());
        Authenticator a = authenticator();
        return a == null ? builder : builder.authenticator(a);
    }

    /** The selector to give {@code HttpClient.Builder.proxy}. */
    ProxySelector selector() {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                Endpoint p = forUri(uri);
                return List.of(p == null ? Proxy.NO_PROXY : new Proxy(Proxy.Type.HTTP, p.address()));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException e) {
                // The fetcher reports the failure; nothing to fall back to.
            }
        };
    }

    /**
     * Answers proxy authentication with the credentials in the proxy URL, or null when no proxy has
     * any. Server challenges (401) get no answer: harvest's own credentials are headers.
     */
    Authenticator authenticator() {
        if ((http == null || http.user() == null) && (https == null || https.user() == null)) {
            return null;
        }
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                if (getRequestorType() != RequestorType.PROXY) {
                    return null;
                }
                for (Endpoint p : new Endpoint[] {http, https}) {
                    if (p != null && p.user() != null && p.host().equalsIgnoreCase(getRequestingHost())
                            && p.port() == getRequestingPort()) {
                        return new PasswordAuthentication(p.user(), p.password().toCharArray());
                    }
                }
                return null;
            }
        };
    }

    /** The proxy passwords, for the job's secrets. */
    public List<String> passwords() {
        List<String> l = new ArrayList<>();
        for (Endpoint p : new Endpoint[] {http, https}) {
            if (p != null && p.password() != null && !p.password().isEmpty()) {
                l.add(p.password());
            }
        }
        return l;
    }

    /** As the configuration is shown: no credentials. */
    @Override
    public String toString() {
        if (!any()) {
            return "none";
        }
        return "http=" + (http == null ? "none" : http) + ", https=" + (https == null ? "none" : https)
                + (noProxy.isEmpty() ? "" : ", no_proxy=" + noProxy);
    }

    /**
     * One HTTP proxy.
     *
     * @param host     host name or IP literal (IPv6 without brackets)
     * @param port     port (1080 when the URL names none, as in curl)
     * @param user     user name from the URL, or null
     * @param password password from the URL, or null
     */
    public record Endpoint(String host, int port, String user, String password) {

        static Endpoint parse(String text, String origin) {
            String withScheme = text.contains("://") ? text : "http://" + text; // curl: no scheme means http
            URI u;
            try {
                u = new URI(withScheme);
            } catch (URISyntaxException e) {
                // Not repeated: the text may hold a password.
                throw new IllegalArgumentException(origin + ": not a proxy URL (expected http://host:port; the value is not shown)");
            }
            if (!"http".equalsIgnoreCase(u.getScheme())) {
                throw new IllegalArgumentException(origin + ": only http:// proxies are supported (got " + u.getScheme()
                        + "://); the JDK HTTP client speaks neither HTTPS nor SOCKS to a proxy");
            }
            if (u.getHost() == null) {
                throw new IllegalArgumentException(origin + ": the proxy URL has no host (expected http://host:port)");
            }
            String user = null;
            String password = null;
            if (u.getRawUserInfo() != null) {
                String info = u.getRawUserInfo();
                int colon = info.indexOf(':');
                user = URLDecoder.decode(colon < 0 ? info : info.substring(0, colon), StandardCharsets.UTF_8);
                password = colon < 0 ? "" : URLDecoder.decode(info.substring(colon + 1), StandardCharsets.UTF_8);
            }
            String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
            return new Endpoint(host, u.getPort() < 0 ? 1080 : u.getPort(), user, password);
        }

        /** Resolved when a request is made, not now (the proxy host's address may change). */
        InetSocketAddress address() {
            return InetSocketAddress.createUnresolved(host, port);
        }

        @Override
        public String toString() {
            return "http://" + (user == null ? "" : user + ":<redacted>@")
                    + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
