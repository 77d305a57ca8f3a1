package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --metrics-file writes valid Prometheus text (exposition format 0.0.4) with the run's figures. */
class MetricsFileTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(" + LABEL + "(?:," + LABEL + ")*)?\\})? (\\S+)");

    @TempDir
    Path dir;

    @Test
    void metricsFileParsesAsPrometheusTextAndMatchesTheSummary() throws Exception {
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("OK1", "OK2", "OK3", "NF1"));
        Path prom = dir.resolve("textfile").resolve("harvest.prom");
        Files.createDirectories(prom.getParent());

        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", dir.toString(), "--metrics-file", prom.toString(), "-q");
        assertEquals(1, r.exitCode(), r.stderr());

        String text = Files.readString(prom);
        Map<String, Double> m = parse(text);
        assertTrue(text.contains("harvest_running{job=\"" + dir.getFileName() + "\"} 0\n"), "job = the --out directory's name: " + text);
        assertEquals(0, m.get("harvest_running"));
        assertEquals(1, m.get("harvest_exit_code"));
        assertEquals(3, m.get("harvest_ids_total{outcome=\"ok\"}"));
        assertEquals(1, m.get("harvest_ids_total{outcome=\"failed\"}"));
        assertEquals(0, m.get("harvest_ids_total{outcome=\"skipped\"}"), "a plain list has no header");
        assertEquals(1, m.get("harvest_failed_total{reason=\"http_404\"}"));
        assertEquals(0, m.get("harvest_failed_total{reason=\"timeout\"}"), "every reason, even at zero");
        assertEquals(3, m.get("harvest_http_responses_total{code=\"200\"}"));
        assertEquals(4, m.get("harvest_input_lines_read_total"));
        assertEquals(Files.size(input), m.get("harvest_input_bytes"));
        assertEquals(0.25, m.get("harvest_recent_error_ratio{reason=\"http_404\"}"), 1e-9);
        assertTrue(m.get("harvest_latency_seconds{quantile=\"0.99\"}") > 0);
        assertEquals(4, m.get("harvest_latency_seconds_count"));
        assertEquals(4, m.get("harvest_request_duration_seconds_count"));
        assertEquals(4, m.get("harvest_request_duration_seconds_bucket{le=\"+Inf\"}"));
        assertTrue(m.get("harvest_request_duration_seconds_sum") > 0);
        assertTrue(m.get("harvest_request_duration_seconds_bucket{le=\"0.005\"}") <= m.get("harvest_request_duration_seconds_bucket{le=\"60\"}"));
        assertFalse(m.containsKey("harvest_last_success_timestamp_seconds"), "this job never succeeded (exit 1)");
        double start = m.get("harvest_start_time_seconds");
        assertTrue(Math.abs(start - System.currentTimeMillis() / 1000.0) < 600, "Unix seconds, not rounded: " + start);
        assertTrue(m.get("harvest_last_update_time_seconds") >= start);
        assertEquals(List.of("harvest.prom"), Harvest.names(prom.getParent()), "no temporary file left");
    }

    @Test
    void lastSuccessIsSetByASuccessfulRunAndKeptByAFailedOne() throws Exception {
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
        Path out = Files.createDirectory(dir.resolve("nightly \"customers\""));
        Path prom = dir.resolve("harvest.prom");
        Path good = Harvest.idFile(dir, "good.txt", "id", List.of("OK1", "OK2"));
        Path bad = Harvest.idFile(dir, "bad.txt", "id", List.of("OK1", "NF1"));
        String job = "{job=\"nightly \\\"customers\\\"\"}";

        long before = System.currentTimeMillis();
        assertEquals(0, Harvest.run("--input", good.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", out.toString(),
                "--metrics-file", prom.toString(), "-q").exitCode());
        String first = Files.readString(prom);
        parse(first);
        Matcher success = Pattern.compile("harvest_last_success_timestamp_seconds" + Pattern.quote(job) + " (\\S+)\n").matcher(first);
        assertTrue(success.find(), "the job label escapes quotes: " + first);
        double when = Double.parseDouble(success.group(1));
        assertTrue(when * 1000 >= before - 1000 && when * 1000 <= System.currentTimeMillis() + 1000, "now: " + when);

        assertEquals(1, Harvest.run("--input", bad.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", out.toString(),
                "--metrics-file", prom.toString(), "-q").exitCode());
        String second = Files.readString(prom);
        assertTrue(second.contains("harvest_exit_code" + job + " 1\n"), second);
        assertTrue(second.contains("harvest_last_success_timestamp_seconds" + job + " " + success.group(1) + "\n"),
                "a failed run keeps the last success time: " + second);
    }

    /** promtool (Debian's prometheus package; .ci/run installs it) finds nothing wrong with a real file. */
    @Test
    void promtoolCheckMetricsIsClean() throws Exception {
        Path promtool = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, "promtool")).filter(Files::isExecutable).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(promtool != null,
                "promtool not on PATH: apt-get install --no-install-recommends prometheus (.ci/run does)");
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("OK1", "OK2", "NF1", ""));
        Path prom = dir.resolve("harvest.prom");
        assertEquals(0, Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}", "--out", dir.toString(),
                "--metrics-file", prom.toString(), "--max-failed", "1", "-q").exitCode());
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(prom.toFile())
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "promtool check metrics: " + said + "\n" + Files.readString(prom));
        assertEquals("", said.strip(), Files.readString(prom));
    }

    @Test
    void metricsFileInAMissingDirectoryIsAUsageError() {
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("A"));
        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", dir.toString(), "--metrics-file", dir.resolve("nope/harvest.prom").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().startsWith("harvest: error: --metrics-file"), r.stderr());
    }

    /**
     * A strict reading of the text format: HELP and TYPE once per family and before its samples,
     * samples of a family together, valid names, labels and values, no duplicate series, no
     * timestamps (node_exporter's textfile collector refuses them), a final newline.
     *
     * @return each series (name with labels, as written) and its value
     */
    static Map<String, Double> parse(String text) {
        assertTrue(text.endsWith("\n"), "ends with a newline");
        Map<String, Double> series = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> finished = new HashSet<>();
        String current = null;
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher h = HELP.matcher(line);
            Matcher t = TYPE.matcher(line);
            Matcher s = SAMPLE.matcher(line);
            if (h.matches()) {
                assertTrue(helped.add(h.group(1)), "one HELP per family: " + line);
            } else if (t.matches()) {
                assertFalse(types.containsKey(t.group(1)), "one TYPE per family: " + line);
                assertFalse(finished.contains(t.group(1)) || series.keySet().stream()
                        .anyMatch(k -> k.equals(t.group(1)) || k.startsWith(t.group(1) + "{")), "TYPE before samples: " + line);
                types.put(t.group(1), t.group(2));
            } else if (s.matches()) {
                String sampleName = s.group(1);
                // A histogram's or summary's _bucket, _sum and _count samples belong to its family.
                String base = sampleName.replaceFirst("_(bucket|sum|count)$", "");
                String name = !base.equals(sampleName) && List.of("histogram", "summary").contains(types.get(base)) ? base : sampleName;
                assertTrue(types.containsKey(name), "a TYPE line for " + name);
                assertTrue(helped.contains(name), "a HELP line for " + name);
                if (!name.equals(current)) {
                    assertFalse(finished.contains(name), "samples of " + name + " together");
                    if (current != null) {
                        finished.add(current);
                    }
                    current = name;
                }
                if (sampleName.endsWith("_bucket")) {
                    assertTrue(s.group(2).contains("le=\""), "a bucket has an le label: " + line);
                }
                if (types.get(name).equals("counter")) {
                    assertTrue(name.endsWith("_total"), "counter names end in _total: " + name);
                }
                if (s.group(2) != null && s.group(2).contains("quantile=")) {
                    // promtool's lint: a quantile label belongs to a summary only
                    assertEquals("summary", types.get(name), "quantile label on a non-summary: " + line);
                }
                String value = s.group(4);
                double v = switch (value) {
                    case "NaN" -> Double.NaN;
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    default -> Double.parseDouble(value);
                };
                // Every sample carries the job label, first; the key leaves it out.
                assertTrue(s.group(2) != null && s.group(2).startsWith("{job=\""), "a job label: " + line);
                String labels = s.group(2).replaceFirst("^\\{job=\"(?:[^\"\\\\]|\\\\.)*\",?", "{");
                String key = sampleName + (labels.equals("{}") ? "" : labels);
                assertFalse(series.containsKey(key), "duplicate series " + key);
                series.put(key, v);
            } else {
                throw new AssertionError("not Prometheus text (or has a timestamp): '" + line + "'");
            }
        }
        return series;
    }
}
