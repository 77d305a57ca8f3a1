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

        Map<String, Double> m = parse(Files.readString(prom));
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
        double start = m.get("harvest_start_time_seconds");
        assertTrue(Math.abs(start - System.currentTimeMillis() / 1000.0) < 600, "Unix seconds, not rounded: " + start);
        assertTrue(m.get("harvest_last_update_time_seconds") >= start);
        assertEquals(List.of("harvest.prom"), Harvest.names(prom.getParent()), "no temporary file left");
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
                String name = s.group(1);
                assertTrue(types.containsKey(name), "a TYPE line for " + name);
                assertTrue(helped.contains(name), "a HELP line for " + name);
                if (!name.equals(current)) {
                    assertFalse(finished.contains(name), "samples of " + name + " together");
                    if (current != null) {
                        finished.add(current);
                    }
                    current = name;
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
                String key = name + (s.group(2) == null ? "" : s.group(2));
                assertFalse(series.containsKey(key), "duplicate series " + key);
                series.put(key, v);
            } else {
                throw new AssertionError("not Prometheus text (or has a timestamp): '" + line + "'");
            }
        }
        return series;
    }
}
