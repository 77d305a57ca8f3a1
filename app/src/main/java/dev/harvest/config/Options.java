package dev.harvest.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The catalogue of every setting harvest understands, by topic, in the order {@code --help} shows
 * them. The help, the man page, the shell completions and docs/options.md are all generated from it.
 */
public final class Options {
    private static final List<Option> ALL = catalogue(
            section(OptionGroup.INPUT,
                    opt("input", null, "FILE", "IDs to fetch: one per line, or CSV; '-' reads standard input"),
                    opt("input-format", "auto", "auto|lines|csv", "How to read --input; auto means csv for *.csv files, lines otherwise"),
                    opt("input-header", null, "BOOL", "Whether the first input line is a header (skipped and reported) [default: true for CSV, false for one ID per line]"),
                    opt("trim", "false", "", "Strip blanks around each ID (by default an ID is taken exactly as written)"),
                    opt("id-column", "1", "NAME|N", "CSV column holding the ID: a header name or a 1-based number"),
                    opt("max-id-length", "1024", "N", "Longer input lines fail as invalid_id instead of being fetched"),
                    opt("shard", null, "K/N", "Process only IDs whose stable hash mod N is K (default from JOB_COMPLETION_INDEX and HARVEST_SHARDS)"),
                    opt("only-retryable", "false", "", "With a failed file as input: re-run only rows marked retryable"),
                    opt("url-column", null, "NAME|N", "CSV column holding each row's own http/https URL (instead of --url)")),
            section(OptionGroup.REQUESTS,
                    opt("url", null, "TEMPLATE", "Endpoint URL; {id} is replaced by the percent-encoded ID (one path segment)"),
                    rep("header", "'NAME: VALUE'", "Add a request header (repeatable); replaces a header of the same name from the config file (header.NAME=VALUE) or HARVEST_HEADER (one per line)"),
                    opt("user-agent", null, "TEXT", "User-Agent request header [default: harvest/<version>]; a --header 'User-Agent: ...' replaces it too"),
                    opt("token-env", null, "VAR", "Send 'Authorization: Bearer <token>' with the token read from this environment variable"),
                    opt("token-file", null, "FILE", "Send 'Authorization: Bearer <token>' with the token read from this file"),
                    opt("ca-file", null, "PEM", "Also trust the certificates in this PEM file (an internal CA), besides the JDK's default ones"),
                    opt("proxy", null, "URL", "HTTP proxy for every request, e.g. http://proxy:3128 (user:password@ allowed); '' turns proxies off [default: $https_proxy for https URLs, $http_proxy for http, $all_proxy, except hosts in $no_proxy, as curl]"),
                    opt("no-proxy", "false", "", "Connect directly, ignoring --proxy and the proxy environment variables"),
                    opt("compressed", "false", "", "Send 'Accept-Encoding: gzip' and inflate gzip bodies; --max-body limits the inflated size (not with --save-to)"),
                    opt("http-version", "auto", "auto|1.1|2", "HTTP version: auto is HTTP/2 for an https --url (HTTP/1.1 if the server offers only that) and HTTP/1.1 otherwise; HTTP/2 uses one client and connection per 100 requests in flight"),
                    opt("connect-timeout", "10s", "DURATION", "Time allowed to open a connection"),
                    opt("timeout", "30s", "DURATION", "Time allowed for one whole exchange, response body included"),
                    opt("max-body", "16MiB", "SIZE", "Larger responses fail as body_too_large without being buffered (at most 1GiB; 1TiB with --save-to)"),
                    opt("follow-redirects", "same-host", "never|same-host", "Follow redirects that stay on the same scheme, host and port"),
                    opt("conditional", "auto", "auto|true|false", "Send If-None-Match/If-Modified-Since from the previous run; 304 counts as ok-unchanged (auto: on for downloads and feeds)")),
            section(OptionGroup.FLOW,
                    opt("concurrency", "64", "N|auto[:MAX]", "Requests in flight at once (1 to 10000); auto: find what the server takes, up to MAX (1000)"),
                    opt("rate", "0", "N", "At most N request starts per second, evenly spaced (0: no limit)"),
                    opt("retries", "3", "N", "Retries of a transient failure (connect, timeout, reset, 408/425/429/5xx); a throttled answer counts as a fifth of one"),
                    opt("backoff", "250ms", "DURATION", "Base of the exponential backoff with full jitter between retries"),
                    opt("max-retry-wait", "60s", "DURATION", "Cap on any one wait before a retry, Retry-After included"),
                    opt("retry-budget", "0.1", "RATIO", "While the server fails, failing retries are at most this share of requests (plus 10/s); past it retries wait, never dropped"),
                    opt("circuit-failures", "50", "N", "Abort (exit 3) after this many consecutive connection failures (0: never)"),
                    opt("circuit-window", "200", "N", "Abort (exit 3) when --circuit-ratio of the last N requests failed on the server's side: 5xx, connect, timeout, reset, TLS (0: never)"),
                    opt("circuit-ratio", "0.5", "RATIO", "Share of --circuit-window that trips the circuit (above 0, at most 1; 1 = every one failed)"),
                    opt("drain-timeout", "30s", "DURATION", "On SIGINT/SIGTERM, time in-flight requests get to finish")),
            section(OptionGroup.OUTPUT,
                    opt("out", ".", "DIR", "Directory for the results, failed, summary and log files (created when missing)"),
                    opt("results", null, "FILE", "Results file (default results-<start time>.jsonl or .csv); a name without a directory is in --out; '-' writes them to standard output (no --resume)"),
                    opt("failed", null, "FILE", "Failed file (default failed-<start time>.csv); a name without a directory is in --out"),
                    opt("format", "jsonl", "jsonl|csv", "Results format; csv needs --fields"),
                    opt("records", null, "POINTER", "JSON Pointer to an array in each response: one output row per element"),
                    opt("fields", null, "SPEC", "Output columns: name=/pointer (in the record) or name={id}, comma-separated"),
                    opt("parse", "json", "json|rss", "How to read each body: json, or rss (RSS 0.90 to 2.0, Atom 0.3 and 1.0: one row per item)"),
                    opt("save-to", null, "DIR", "Download mode: stream each body to a file in DIR (results list id,url,path,bytes,sha256,...)"),
                    opt("file-name", null, "TEMPLATE", "Download mode: file name from {id} and {name} (the URL's last path segment) [default: {name}]"),
                    opt("resume", "false", "", "Continue the newest unfinished run of the same job in --out; --resume=auto: if there is one, else start afresh"),
                    opt("keep-runs", null, "N", "Once a run completes, delete the stamped files (results, failed, log, summary) of this job's older finished runs in --out, keeping the newest N [default: keep all]"),
                    opt("latest", "false", "", "Once a run completes, point results-latest.EXT, failed-latest.csv and summary-latest.json in --out at its files (symlinks, replaced atomically)"),
                    opt("summary", null, "FILE", "harvest verify only: the run's summary-<start time>.json (default: the one in the results file's directory that names it)")),
            section(OptionGroup.MONITORING,
                    opt("log", null, "FILE", "Log file (default harvest-<start time>.log); a name without a directory is in --out; '-' writes the log to standard error (and draws no progress line unless --progress)"),
                    opt("log-level", "info", "LEVEL", "Log file level: error, warn, info, debug or trace"),
                    opt("verbose", "false", "", "Same as --log-level=debug (also -v)"),
                    opt("quiet", "false", "", "Print no progress and no summary (the summary file is still written)"),
                    opt("progress", null, "", "Draw the live progress line on stderr even when it is not a terminal (it is drawn when stderr is one)"),
                    opt("no-progress", "false", "", "Never draw the live progress line (the summary is still printed)"),
                    opt("progress-interval", "30s", "DURATION", "How often a progress line goes to the log (the summary file is refreshed at least every 10 s)"),
                    opt("metrics-file", null, "FILE", "Also write the summary's figures in Prometheus text format to FILE (e.g. for node_exporter's textfile collector); an existing file must be empty or an earlier metrics file"),
                    opt("max-failed", "0", "N|P%", "A completed run with at most N failed IDs (or P% of the IDs it finished) exits 0, not 1")),
            section(OptionGroup.OTHER,
                    opt("config", null, "FILE", "Read settings from a Java properties file (flags and HARVEST_* override it)"))
    );

    private static final Map<String, Option> BY_KEY;

    static {
        Map<String, Option> byKey = new LinkedHashMap<>();
        for (Option o : ALL) {
            byKey.put(o.key(), o);
        }
        BY_KEY = Map.copyOf(byKey);
    }

    private Options() {
    }

    private static Option opt(String key, String def, String valueName, String help) {
        return new Option(key, def, valueName, help, false, OptionGroup.OTHER);
    }

    private static Option rep(String key, String valueName, String help) {
        return new Option(key, null, valueName, help, true, OptionGroup.OTHER);
    }

    /** The options of one topic, in the order the help lists them. */
    private static List<Option> section(OptionGroup group, Option... options) {
        return Stream.of(options).map(o -> o.in(group)).toList();
    }

    @SafeVarargs
    private static List<Option> catalogue(List<Option>... sections) {
        return Stream.of(sections).flatMap(List::stream).toList();
    }

    /** Every setting, in help order. */
    public static List<Option> all() {
        return ALL;
    }

    /** The setting with this key, if any. */
    public static Optional<Option> find(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** The known key nearest to a mistyped one, for "did you mean" hints. */
    public static Optional<String> nearest(String unknown) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String key : BY_KEY.keySet()) {
            int d = editDistance(unknown, key);
            if (d < bestDistance) {
                bestDistance = d;
                best = key;
            }
        }
        int allowed = Math.max(2, unknown.length() / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
