package dev.harvest.config;

import dev.harvest.fetch.BearerToken;
import dev.harvest.fetch.FileNameTemplate;
import dev.harvest.fetch.ProxySettings;
import dev.harvest.fetch.RedirectPolicy;
import dev.harvest.fetch.RequestHeader;
import dev.harvest.fetch.TrustedCertificates;
import dev.harvest.fetch.UrlTemplate;
import dev.harvest.read.InputFormat;
import dev.harvest.read.Shard;
import dev.harvest.store.OutputFormat;
import dev.harvest.store.Projection;
import dev.harvest.store.ResumeMode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The effective settings of one job, checked and typed. Built once at start-up; immutable.
 *
 * @param input            the input file, or {@code null} for standard input
 * @param inputFormat      how to read it (never AUTO once resolved)
 * @param inputHeader      whether the first line is a header (default: CSV yes, one ID per line no)
 * @param idColumn         CSV column: a header name, or a 1-based number as text
 * @param maxIdLength      longer lines are invalid IDs
 * @param shard            this process's shard
 * @param onlyRetryable    re-run only retryable rows of a failed file
 * @param trim             strip blanks around each ID; by default an ID is taken exactly as written
 * @param url              the endpoint template (null with {@code --url-column}, and in {@link #forVerify})
 * @param headers          extra request headers
 * @param token            bearer token, or null
 * @param httpVersion      HTTP/1.1 or HTTP/2 (auto resolved: HTTP/2 for an https {@code --url})
 * @param concurrency      requests in flight at once; with {@code autoConcurrency} the most
 * @param autoConcurrency  {@code --concurrency auto[:MAX]}: the limit adapts to the server, up to {@code concurrency}
 * @param rate             request starts per second, 0 for no limit
 * @param connectTimeout   connection timeout
 * @param timeout          whole-exchange timeout
 * @param maxBody          largest body accepted
 * @param redirects        redirect policy
 * @param retries          retries of a transient failure
 * @param backoff          backoff base
 * @param maxRetryWait     cap on one wait
 * @param retryBudget      retries as a share of requests
 * @param circuitFailures  consecutive connection failures that abort the run, 0 for never
 * @param circuitWindow    recent attempts the failure-ratio circuit looks at, 0 for never
 * @param circuitRatio     share of that window that must have failed to abort the run (0 < r <= 1)
 * @param drainTimeout     grace for in-flight requests on a signal
 * @param outDir           output directory
 * @param resultsFile      explicit results file, or null for the stamped default
 * @param failedFile       explicit failed file, or null
 * @param logFile          explicit log file, or null
 * @param format           results format
 * @param projection       rows to write per response
 * @param resume           continue an unfinished run
 * @param logLevel         log level name
 * @param quiet            no progress or summary on the terminal
 * @param progressInterval log progress period
 * @param metricsFile      Prometheus text file to keep up to date, or null
 * @param mode             the job's shape: JSON rows, downloads or feeds; template or per-row URLs
 * @param maxFailed        failed IDs a completed run may have and still exit 0
 * @param userAgent        the User-Agent sent unless {@link #headers} has one: {@code --user-agent} or harvest/version
 * @param caFile           certificate authorities trusted besides the JDK's defaults ({@code --ca-file}), or null
 * @param proxy            the HTTP proxies: {@code --proxy}, else curl's environment variables
 * @param progress         {@code --progress} (true) / {@code --no-progress} (false) force the live progress line; null: when stderr is a terminal
 * @param compressed       ask for gzip ({@code Accept-Encoding: gzip} is in {@link #headers}) and inflate gzip bodies
 */
public record JobConfig(
        Path input, InputFormat inputFormat, boolean inputHeader, String idColumn, int maxIdLength,
        Shard shard, boolean onlyRetryable, boolean trim,
        UrlTemplate url, List<RequestHeader> headers, BearerToken token, HttpClient.Version httpVersion,
        int concurrency, boolean autoConcurrency, double rate, Duration connectTimeout, Duration timeout, long maxBody,
        RedirectPolicy redirects,
        int retries, Duration backoff, Duration maxRetryWait, double retryBudget, int circuitFailures,
        int circuitWindow, double circuitRatio, Duration drainTimeout,
        Path outDir, Path resultsFile, Path failedFile, Path logFile, OutputFormat format,
        Projection projection, ResumeMode resume, String logLevel, boolean quiet, Duration progressInterval,
        Path metricsFile, JobMode mode, FailedBound maxFailed, String userAgent,
        TrustedCertificates caFile, ProxySettings proxy, boolean compressed, Boolean progress) {

    /** What {@code harvest verify} reads of a job: which lines are IDs, and how the outputs look. */
    private static final Set<String> VERIFY_KEYS = Set.of("input", "input-format", "input-header", "id-column",
            "max-id-length", "shard", "only-retryable", "trim", "format", "records", "fields", "results", "failed", "out",
            "url-column", "save-to", "file-name", "parse");

    /**
     * Highest {@code --concurrency}: every request in flight holds a virtual thread, a connection
     * and buffers in the launcher's heap; above this a typo would exhaust memory, not speed up.
     */
    public static final int MAX_CONCURRENCY = 10_000;
    /** Highest {@code --max-body} when bodies are held in memory (one Java array, and the heap). */
    public static final long MAX_BODY_IN_MEMORY = 1L << 30;
    /** Highest {@code --max-body} with {@code --save-to} (bodies stream to disk). */
    public static final long MAX_BODY_DOWNLOAD = 1L << 40;
    /** Lowest non-zero {@code --rate} (one request per 10,000 s); slower rates overflow the spacing clock. */
    static final double MIN_RATE = 0.0001;
    /** Largest {@code --ca-file} read (a bundle of a few hundred certificates fits). */
    static final int MAX_CA_FILE_BYTES = 1 << 20;
    /** Largest token file read. */
    static final int MAX_TOKEN_BYTES = 64 << 10;
    /** Highest {@code --rate}. */
    static final double MAX_RATE = 1_000_000;

    public JobConfig {
        headers = List.copyOf(headers);
    }

    /**
     * Builds and checks a job from resolved settings.
     *
     * @param settings the layered settings ({@link SettingsLoader#load})
     * @param env      the environment (token variables, Kubernetes shard index)
     */
    public static JobConfig from(Map<String, List<Setting>> settings, Map<String, String> env)
            throws ConfigException {
        return build(settings, env, true);
    }

    /**
     * The job as {@code harvest verify} sees it: only the settings that decide which input lines
     * are IDs and how the outputs look count; request settings fall back to their defaults, so the
     * run's own command line or config file can be reused as it is, and {@code url} is null.
     */
    public static JobConfig forVerify(Map<String, List<Setting>> settings, Map<String, String> env)
            throws ConfigException {
        Map<String, List<Setting>> shape = new LinkedHashMap<>(SettingsLoader.load(List.of(), Map.of()));
        settings.forEach((key, values) -> {
            if (VERIFY_KEYS.contains(key)) {
                shape.put(key, values);
            }
        });
        return build(shape, env, false);
    }

    private static JobConfig build(Map<String, List<Setting>> settings, Map<String, String> env, boolean isRun)
            throws ConfigException {
        Reader r = new Reader(settings);
        Setting inputSetting = r.required("input", "--input FILE is required (the IDs to fetch; '-' for stdin)");
        Path input = inputSetting.value().equals("-") ? null : Path.of(inputSetting.value());
        InputFormat inputFormat = Values.choice(r.get("input-format"), InputFormat.class, "auto", "lines", "csv");
        if (inputFormat == InputFormat.AUTO) {
            boolean csv = input != null && input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
            inputFormat = csv ? InputFormat.CSV : InputFormat.LINES;
        }
        String idColumn = r.get("id-column").value().strip();
        if (idColumn.isEmpty()) {
            throw Values.bad(r.get("id-column"), "expected a column name or number");
        }
        if (idColumn.chars().allMatch(Character::isDigit)) {
            Values.columnNumber(r.get("id-column"), idColumn);
        }
        // A list of IDs has no header by convention (xargs, parallel, wget -i); a CSV file has one.
        boolean inputHeader = r.value("input-header") == null ? inputFormat == InputFormat.CSV
                : Values.bool(r.get("input-header"));
        if (inputFormat != InputFormat.CSV && !idColumn.equals("1")) {
            throw new ConfigException("--id-column needs CSV input (--input-format csv)");
        }
        if (!inputHeader && !idColumn.chars().allMatch(Character::isDigit)) {
            throw new ConfigException("--id-column " + idColumn + " names a column, but --input-header is false");
        }

        String urlColumn = urlColumn(r, inputFormat, inputHeader);
        if (isRun && urlColumn != null && r.value("url") != null) {
            throw new ConfigException("give --url (a template with {id}) or --url-column (a URL in each input row), not both");
        }
        UrlTemplate url = !isRun || urlColumn != null ? null
                : UrlTemplate.parse(r.required("url", "--url TEMPLATE is required, e.g. https://api.example.com/customers/{id}"
                        + " (or --url-column for input rows that bring their own URL)").value());
        if (isRun && r.value("summary") != null) {
            throw new ConfigException("--summary is for harvest verify; a run writes summary-<start time>.json in --out");
        }
        List<RequestHeader> headers = new ArrayList<>();
        for (Setting s : settings.getOrDefault("header", List.of())) {
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
        BearerToken token = token(r, env);
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
        Setting concurrencySetting = r.get("concurrency");
        boolean autoConcurrency = concurrencySetting.value().strip().startsWith("auto");
        int concurrency = concurrency(concurrencySetting);
        double rate = Values.rate(r.get("rate"), MIN_RATE, MAX_RATE);

        OutputFormat format = Values.choice(r.get("format"), OutputFormat.class, "jsonl", "csv");
        Projection projection = Projection.parse(r.value("records"), r.value("fields"));
        JobMode mode = mode(r, urlColumn, isRun);
        long maxBody = maxBody(r.get("max-body"), mode);
        if (mode.kind() != JobMode.Kind.JSON && !projection.isNone()) {
            throw new ConfigException("--records and --fields shape JSON bodies; "
                    + (mode.kind() == JobMode.Kind.DOWNLOAD ? "--save-to" : "--parse rss") + " writes fixed columns");
        }
        if (format == OutputFormat.CSV && projection.fields().isEmpty() && mode.kind() == JobMode.Kind.JSON) {
            throw new ConfigException("--format csv needs --fields (which columns to write)");
        }
        String level = r.get("log-level").value().strip().toLowerCase(Locale.ROOT);
        if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
            throw Values.bad(r.get("log-level"), "expected error, warn, info, debug or trace");
        }
        if (Values.bool(r.get("verbose")) && !level.equals("trace")) {
            level = "debug";
        }
        Path out = Path.of(r.get("out").value());
        Path metricsFile = metricsFile(r);
        if (isRun) {
            checkOutputs(r, input, metricsFile);
            if ("-".equals(r.value("results")) && resumeMode(r.get("resume")) != ResumeMode.NO) {
                throw new ConfigException("--results - writes the results to standard output, which a resume cannot"
                        + " take back; drop --resume (a stopped run is run again from the start)");
            }
        }

        return new JobConfig(
                input, inputFormat, inputHeader, idColumn, Values.intIn(r.get("max-id-length"), 1, 1 << 20),
                shard(r, env), Values.bool(r.get("only-retryable")), Values.bool(r.get("trim")),
                url, headers, token, version,
                concurrency, autoConcurrency, rate, positive(r.get("connect-timeout")), positive(r.get("timeout")),
                maxBody,
                Values.choice(r.get("follow-redirects"), RedirectPolicy.class, "never", "same-host"),
                Values.intIn(r.get("retries"), 0, 100), positive(r.get("backoff")),
                positive(r.get("max-retry-wait")), Values.ratio(r.get("retry-budget")),
                Values.intIn(r.get("circuit-failures"), 0, 1_000_000),
                Values.intIn(r.get("circuit-window"), 0, 1_000_000), circuitRatio(r.get("circuit-ratio")),
                Values.duration(r.get("drain-timeout"), Duration.ZERO, Values.MAX_DURATION),
                out, r.path("results"), r.path("failed"), r.path("log"), format, projection,
                resumeMode(r.get("resume")), level, Values.bool(r.get("quiet")),
                positive(r.get("progress-interval")), metricsFile, mode, FailedBound.parse(r.get("max-failed")),
                userAgent(r, headers), caFile, proxy(r, env), compressed, progress(r));
    }

    /** {@code --no-progress} wins over {@code --progress}; neither: null (stderr decides). */
    private static Boolean progress(Reader r) throws ConfigException {
        if (Values.bool(r.get("no-progress"))) {
            return false;
        }
        return r.get("progress") == null ? null : Values.bool(r.get("progress"));
    }

    /** {@code --proxy} / {@code --no-proxy}, else the environment's proxies, as curl reads them. */
    private static ProxySettings proxy(Reader r, Map<String, String> env) throws ConfigException {
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
    private static String userAgent(Reader r, List<RequestHeader> headers) throws ConfigException {
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
     * The explicit output files: each in a writable directory, none on a file the run reads or on
     * another output (checked here, before the lock file, the log or any output exists).
     */
    private static void checkOutputs(Reader r, Path input, Path metricsFile) throws ConfigException {
        for (String key : List.of("results", "failed", "log")) {
            Path p = r.path(key);
            if (p != null && key.equals("results") && p.toString().equals("-")) {
                continue; // standard output
            }
            Path dir = p == null ? null : p.toAbsolutePath().getParent();
            if (p != null && (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir))) {
                throw new ConfigException("--" + key + " " + p + ": its directory is missing or not writable");
            }
            if (p != null && Files.isDirectory(p)) {
                throw new ConfigException("--" + key + " " + p + ": is a directory");
            }
        }
        Path results = r.path("results");
        if (results != null && results.toString().equals("-")) {
            results = null; // standard output: no file to clash with
        }
        Path failed = r.path("failed");
        OutputPaths.check(
                List.of(new OutputPaths.Named("--input", input), new OutputPaths.Named("--config", r.path("config")),
                        new OutputPaths.Named("--token-file", r.path("token-file"))),
                List.of(new OutputPaths.Named("--results", results), new OutputPaths.Named("--results", part(results)),
                        new OutputPaths.Named("--failed", failed), new OutputPaths.Named("--failed", part(failed)),
                        new OutputPaths.Named("--log", r.path("log")),
                        new OutputPaths.Named("--metrics-file", metricsFile)));
        if (metricsFile != null) {
            OutputPaths.checkMetricsFile(metricsFile);
        }
    }

    /** The in-progress name harvest writes an output under until the run completes. */
    private static Path part(Path p) {
        return p == null ? null : p.resolveSibling(p.getFileName() + ".part");
    }

    private static String urlColumn(Reader r, InputFormat inputFormat, boolean inputHeader) throws ConfigException {
        String column = r.value("url-column");
        if (column == null) {
            return null;
        }
        boolean number = column.chars().allMatch(Character::isDigit);
        if (number) {
            Values.columnNumber(r.get("url-column"), column);
        }
        if (inputFormat != InputFormat.CSV && !column.equals("1")) {
            throw new ConfigException("--url-column " + column + " needs CSV input (--input-format csv); with one URL"
                    + " per line use --url-column 1");
        }
        if (!number && !inputHeader) {
            throw new ConfigException("--url-column " + column + " names a column, but --input-header is false");
        }
        return column;
    }

    /** The job's shape from --save-to, --file-name, --parse and --conditional. */
    private static JobMode mode(Reader r, String urlColumn, boolean isRun) throws ConfigException {
        String parse = r.get("parse").value().strip().toLowerCase(Locale.ROOT);
        JobMode.Kind kind = switch (parse) {
            case "json" -> JobMode.Kind.JSON;
            case "rss", "atom", "feed" -> JobMode.Kind.FEED;
            default -> throw Values.bad(r.get("parse"), "expected json or rss");
        };
        Path saveTo = r.path("save-to");
        if (saveTo != null) {
            if (kind == JobMode.Kind.FEED) {
                throw new ConfigException("--parse rss and --save-to are two jobs: parse feeds into rows, or save bodies as files");
            }
            kind = JobMode.Kind.DOWNLOAD;
            if (isRun && !Files.isDirectory(saveTo)) {
                throw new ConfigException("--save-to " + saveTo + ": no such directory");
            }
            if (isRun && !Files.isWritable(saveTo)) {
                throw new ConfigException("--save-to " + saveTo + ": not writable");
            }
        }
        String fileNameText = r.value("file-name");
        if (fileNameText != null && saveTo == null) {
            throw new ConfigException("--file-name names downloaded files; it needs --save-to DIR");
        }
        FileNameTemplate fileName = saveTo == null ? null
                : fileNameText == null ? FileNameTemplate.urlName() : FileNameTemplate.parse(fileNameText);
        Setting c = r.get("conditional");
        boolean conditional = switch (c.value().strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> kind != JobMode.Kind.JSON;
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw Values.bad(c, "expected auto, true or false");
        };
        if (conditional && kind == JobMode.Kind.JSON) {
            throw new ConfigException("--conditional is for downloads (--save-to) and feeds (--parse rss): a JSON"
                    + " job writes every body, so a 304 would leave its ID without a row");
        }
        return new JobMode(kind, urlColumn, saveTo, fileName, conditional);
    }

    private static Path metricsFile(Reader r) throws ConfigException {
        Path p = r.path("metrics-file");
        if (p == null) {
            return null;
        }
        Path dir = p.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir) || Files.isDirectory(p)) {
            throw new ConfigException("--metrics-file " + p + ": its directory is missing or not writable");
        }
        return p;
    }

    private static ResumeMode resumeMode(Setting s) throws ConfigException {
        if (s.value().strip().equalsIgnoreCase("auto")) {
            return ResumeMode.AUTO;
        }
        try {
            return Values.bool(s) ? ResumeMode.YES : ResumeMode.NO;
        } catch (ConfigException e) {
            throw Values.bad(s, "expected true, false or auto");
        }
    }

    private static double circuitRatio(Setting s) throws ConfigException {
        double v = Values.ratio(s);
        if (v == 0) {
            throw Values.bad(s, "expected a ratio above 0 and at most 1 (--circuit-window 0 turns the circuit off)");
        }
        return v;
    }

    private static Duration positive(Setting s) throws ConfigException {
        return Values.duration(s, Duration.ofMillis(1), Values.MAX_DURATION);
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

    private static Shard shard(Reader r, Map<String, String> env) throws ConfigException {
        String text = r.value("shard");
        String origin = "--shard";
        if (text == null && env.get("HARVEST_SHARDS") != null) {
            String index = env.get("JOB_COMPLETION_INDEX");
            if (index == null) {
                throw new ConfigException("HARVEST_SHARDS is set but JOB_COMPLETION_INDEX is not (give --shard K/N)");
            }
            text = index + "/" + env.get("HARVEST_SHARDS");
            origin = "JOB_COMPLETION_INDEX/HARVEST_SHARDS";
        }
        if (text == null) {
            return new Shard(0, 1);
        }
        String[] parts = text.strip().split("/");
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ConfigException(origin + ": expected K/N with 0 <= K < N, got '" + text + "'");
    }

    /** The {@code --ca-file} certificates, read with a bound and checked now, not at the first request. */
    private static TrustedCertificates caFile(Reader r) throws ConfigException {
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

    private static BearerToken token(Reader r, Map<String, String> env) throws ConfigException {
        String var = r.value("token-env");
        String file = r.value("token-file");
        if (var != null && file != null) {
            throw new ConfigException("give --token-env or --token-file, not both");
        }
        if (var != null) {
            String v = env.get(var);
            if (v == null || v.isBlank()) {
                throw new ConfigException("--token-env " + var + ": that environment variable is not set or empty");
            }
            return checkedToken(v, "$" + var, "--token-env " + var);
        }
        if (file != null) {
            String v = BoundedFile.read(Path.of(file), "--token-file " + file, MAX_TOKEN_BYTES, "64 KiB");
            if (v.isBlank()) {
                throw new ConfigException("--token-file " + file + ": the file is empty");
            }
            return checkedToken(v, file, "--token-file " + file);
        }
        return null;
    }

    /**
     * The token without one trailing newline (files end with one; so do Kubernetes secrets read into
     * a variable) and surrounding spaces; what is left must be one word of visible ASCII (RFC 6750's
     * token68 and then some). Anything else would fail every request, with the token in the
     * client's message. The token is never shown.
     */
    private static BearerToken checkedToken(String raw, String source, String what) throws ConfigException {
        String value = raw.endsWith("\r\n") ? raw.substring(0, raw.length() - 2)
                : raw.endsWith("\n") ? raw.substring(0, raw.length() - 1) : raw;
        value = value.replaceAll("^ +| +$", ""); // spaces only: strip() would take a second newline too
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new ConfigException(what + ": the token has a space, a line break, a control or a non-ASCII"
                        + " character at position " + (i + 1) + " (a bearer token is one word of visible ASCII;"
                        + " the token is not shown)");
            }
        }
        return new BearerToken(value, source);
    }

    /** Default MAX of {@code --concurrency auto}. */
    static final int AUTO_MAX = 1000;

    /** {@code --concurrency}: N, {@code auto} or {@code auto:MAX}; for auto, the most it may reach. */
    private static int concurrency(Setting s) throws ConfigException {
        String v = s.value().strip();
        if (v.equals("auto")) {
            return AUTO_MAX;
        }
        if (v.startsWith("auto:")) {
            try {
                int max = Integer.parseInt(v.substring(5).strip());
                if (max >= 1 && max <= MAX_CONCURRENCY) {
                    return max;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw Values.bad(s, "expected auto:MAX with MAX a whole number from 1 to " + MAX_CONCURRENCY);
        }
        return Values.intIn(s, 1, MAX_CONCURRENCY);
    }

    /**
     * Requests in flight at once: {@link #concurrency()} within what the heap holds
     * ({@link MemoryPlan#maxConcurrency()}).
     */
    public int concurrencyInFlight() {
        return Math.min(concurrency, MemoryPlan.maxConcurrency());
    }

    /** Whether the results go to standard output ({@code --results -}). */
    public boolean resultsToStdout() {
        return resultsFile != null && resultsFile.toString().equals("-");
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

    /** The settings as an operator may see them: secrets redacted, in help order. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input", input == null ? "-" : input.toString());
        m.put("input-format", inputFormat.name().toLowerCase(Locale.ROOT));
        m.put("input-header", String.valueOf(inputHeader));
        m.put("id-column", idColumn);
        m.put("shard", shard.toString());
        m.put("only-retryable", String.valueOf(onlyRetryable));
        m.put("trim", String.valueOf(trim));
        m.put("url", url == null ? "" : url.toString());
        m.put("url-column", mode.urlColumn() == null ? "" : mode.urlColumn());
        m.put("mode", mode.kind().name().toLowerCase(Locale.ROOT));
        m.put("save-to", mode.saveTo() == null ? "" : mode.saveTo().toString());
        m.put("file-name", mode.fileName() == null ? "" : mode.fileName().toString());
        m.put("conditional", String.valueOf(mode.conditional()));
        m.put("headers", headers.toString());
        m.put("user-agent", headers.stream().filter(h -> h.key().equals("user-agent")).findFirst()
                .map(RequestHeader::value).orElse(userAgent));
        m.put("proxy", proxy.toString());
        m.put("compressed", String.valueOf(compressed));
        m.put("token", token == null ? "none" : token.toString());
        if (caFile != null) {
            m.put("ca-file", caFile.toString());
        }
        m.put("http-version", httpVersion == HttpClient.Version.HTTP_2 ? "2" : "1.1");
        m.put("concurrency", (autoConcurrency ? "auto:" : "") + concurrency);
        m.put("rate", rate == 0 ? "unlimited" : String.valueOf(rate));
        m.put("connect-timeout", connectTimeout.toString());
        m.put("timeout", timeout.toString());
        m.put("max-body", String.valueOf(maxBody));
        m.put("follow-redirects", redirects.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("retries", String.valueOf(retries));
        m.put("backoff", backoff.toString());
        m.put("max-retry-wait", maxRetryWait.toString());
        m.put("retry-budget", String.valueOf(retryBudget));
        m.put("circuit-failures", String.valueOf(circuitFailures));
        m.put("circuit-window", String.valueOf(circuitWindow));
        m.put("circuit-ratio", String.valueOf(circuitRatio));
        m.put("drain-timeout", drainTimeout.toString());
        m.put("max-failed", maxFailed.toString());
        m.put("out", outDir.toString());
        m.put("format", format.extension());
        m.put("records", projection.records() == null ? "" : projection.records().toString());
        m.put("fields", projection.fields().stream()
                .map(f -> f.name() + "=" + (f.isInputId() ? "{id}" : f.pointer().toString())).toList().toString());
        m.put("resume", resume.name().toLowerCase(Locale.ROOT));
        m.put("log-level", logLevel);
        m.put("progress-interval", progressInterval.toString());
        m.put("metrics-file", metricsFile == null ? "" : metricsFile.toString());
        return m;
    }

    /** Looks up settings with the context needed for messages. */
    private record Reader(Map<String, List<Setting>> settings) {
        Setting get(String key) {
            List<Setting> v = settings.get(key);
            return v == null || v.isEmpty() ? null : v.getLast();
        }

        String value(String key) {
            Setting s = get(key);
            return s == null || s.value().isBlank() ? null : s.value().strip();
        }

        Path path(String key) {
            String v = value(key);
            return v == null ? null : Path.of(v);
        }

        Setting required(String key, String message) throws ConfigException {
            Setting s = get(key);
            if (s == null || s.value().isBlank()) {
                throw new ConfigException(message);
            }
            return s;
        }
    }
}
