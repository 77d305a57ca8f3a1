package dev.harvest.store;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.harvest.TestBytes.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the CLI: what the server's JSON said is what the results hold, and every body that
 * cannot be held as sent ends in the failed file with its reason; every ID ends in one place.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a store that dies must fail the test, not hang it
class ValuesAsSentTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private static final String NUMBERS = "[0.1234567890123456789,12345678901234567890.5,-0,1E400,1E2,1e9999999999]";

    private void serve(String id, int status, byte[] body) {
        server.stubFor(get(urlEqualTo("/docs/" + id)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    private void serve(String id, String body) {
        serve(id, 200, body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    /** Runs the job over {@code ids}; returns each ID's results lines ("results:...") or failed reason ("failed:reason"). */
    private Map<String, List<String>> run(List<String> ids, String... options) throws Exception {
        Path input = Harvest.idFile(dir, "ids.txt", "id", ids);
        Path out = Files.createDirectory(dir.resolve("out"));
        List<String> args = new ArrayList<>(List.of("--input", input.toString(), "--url", server.baseUrl() + "/docs/{id}",
                "--out", out.toString(), "--retries", "0"));
        args.addAll(List.of(options));
        Harvest.Result r = Harvest.run(args.toArray(String[]::new));
        assertEquals(1, r.exitCode(), r.stderr());
        Map<String, List<String>> where = new TreeMap<>();
        boolean csv = args.contains("csv");
        List<String> results = Harvest.lines(Harvest.only(out, "results-"));
        for (String line : results.subList(csv ? 1 : 0, results.size())) {
            String id = csv ? line.substring(0, line.indexOf(',')) : line.substring(7, line.indexOf('"', 7));
            where.computeIfAbsent(id, k -> new ArrayList<>()).add(line);
        }
        // what was written as sent must also read back: harvest verify finds every ID once
        List<String> verify = new ArrayList<>(List.of("verify", "--input", input.toString(),
                "--results", Harvest.only(out, "results-").toString(), "--failed", Harvest.only(out, "failed-").toString()));
        verify.addAll(List.of(options));
        Harvest.Result v = Harvest.run(verify.toArray(String[]::new));
        assertEquals(0, v.exitCode(), v.stdout() + v.stderr());
        List<String> failed = Harvest.lines(Harvest.only(out, "failed-"));
        for (String line : failed.subList(1, failed.size())) {
            String[] cells = line.split(",", 3);
            where.computeIfAbsent(cells[0], k -> new ArrayList<>()).add("failed:" + cells[1]);
        }
        return where;
    }

    @Test
    void theDefaultJobWritesEachBodyAsSentOrFailsIt() throws Exception {
        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("numbers", List.of("{\"id\":\"numbers\",\"status\":200,\"body\":" + NUMBERS + "}"));
        cases.put("spaced", List.of("{\"id\":\"spaced\",\"status\":200,\"body\":{\"s\":\"\\u00e9\\n \u00e9\",\"n\":[-0.0,1e-7]}}"));
        cases.put("bom", List.of("{\"id\":\"bom\",\"status\":200,\"body\":{\"a\":1E2}}"));
        cases.put("dup", List.of("{\"id\":\"dup\",\"status\":200,\"body\":{\"a\":1,\"a\":2}}"));
        cases.put("huge", List.of("{\"id\":\"huge\",\"status\":200,\"body\":[" + "7".repeat(3000) + "]}"));
        cases.put("deep", List.of("{\"id\":\"deep\",\"status\":200,\"body\":" + "[".repeat(1000) + "]".repeat(1000) + "}"));
        serve("numbers", NUMBERS);
        serve("spaced", " {\"s\" : \"\\u00e9\\n \u00e9\",\n\t\"n\": [ -0.0 , 1e-7 ] }\r\n");
        serve("bom", 200, concat(bytes(0xEF, 0xBB, 0xBF), "{\"a\": 1E2}".getBytes(StandardCharsets.UTF_8)));
        serve("dup", "{\"a\": 1, \"a\": 2}");
        serve("huge", "[" + "7".repeat(3000) + "]");
        serve("deep", "[".repeat(1000) + "]".repeat(1000));
        // what is not JSON in UTF-8
        serve("overlong", 200, concat(bytes('[', '"', 0xC0, 0xAF, '"', ']')));
        serve("surrogate", 200, concat(bytes('[', '"', 0xED, 0xA0, 0x80, '"', ']')));
        serve("continuation", 200, concat(bytes('[', '"', 0x80, '"', ']')));
        serve("sixbytes", 200, concat(bytes('[', '"', 0xFC, 0x84, 0x80, 0x80, 0x80, 0x80, '"', ']')));
        serve("beyond", 200, concat(bytes('[', '"', 0xF4, 0x90, 0x80, 0x80, '"', ']')));
        serve("utf16", 200, "{\"a\": 1}".getBytes(StandardCharsets.UTF_16));
        serve("utf16le", 200, "{\"a\": 1}".getBytes(StandardCharsets.UTF_16LE));
        serve("nul", 200, bytes('[', '1', ']', 0));
        serve("blank", " \r\n\t ");
        serve("deeper", "[".repeat(1001) + "]".repeat(1001));
        serve("nocontent", 204, new byte[0]);
        serve("odd", 999, "{}".getBytes(StandardCharsets.UTF_8));
        for (String bad : List.of("overlong", "surrogate", "continuation", "sixbytes", "beyond", "utf16", "utf16le", "nul",
                "blank", "deeper")) {
            cases.put(bad, List.of("failed:bad_json"));
        }
        cases.put("nocontent", List.of("failed:empty_body"));
        cases.put("odd", List.of("failed:http_other"));

        Map<String, List<String>> where = run(List.copyOf(cases.keySet()));

        assertEquals(new TreeMap<>(cases), where);
    }

    @Test
    void csvFieldsAndJsonRecordsKeepTheNumbersText() throws Exception {
        String record = "{\"a\":0.1234567890123456789,\"b\":12345678901234567890.5,\"c\":-0,\"d\":1E400,\"e\":1E2,"
                + "\"f\":1e9999999999,\"g\":[1E2, -0]}";
        serve("R1", "{\"items\": [" + record + "]}");
        serve("R2", "{\"items\": [{\"a\": 1e-9999999999, \"g\": {\"k\":\"\\u00e9\"}}]}");
        serve("BAD", 200, bytes('{', '"', 'i', 't', 'e', 'm', 's', '"', ':', '[', '{', '"', 'a', '"', ':', '"', 0xED, 0xB0, 0x80, '"',
                '}', ']', '}'));

        Map<String, List<String>> where = run(List.of("R1", "R2", "BAD"), "--format", "csv", "--records", "/items",
                "--fields", "id={id},a=/a,b=/b,c=/c,d=/d,e=/e,f=/f,g=/g");

        assertEquals(Map.of(
                "R1", List.of("R1,0.1234567890123456789,12345678901234567890.5,-0,1E400,1E2,1e9999999999,\"[1E2,-0]\""),
                "R2", List.of("R2,1e-9999999999,,,,,,\"{\"\"k\"\":\"\"\\u00e9\"\"}\""),
                "BAD", List.of("failed:bad_json")), where);
    }

    @Test
    void jsonRecordsAreCopiedAsSent() throws Exception {
        serve("R1", "{\"items\": [{\"a\": 1E2, \"b\": [-0, 0.1234567890123456789]}, 1e9999999999]}");

        Map<String, List<String>> where = run(List.of("R1", "NONE"), "--records", "/items");

        assertEquals(Map.of("R1", List.of("{\"id\":\"R1\",\"record\":{\"a\":1E2,\"b\":[-0,0.1234567890123456789]}}",
                        "{\"id\":\"R1\",\"record\":1e9999999999}"),
                "NONE", List.of("failed:http_404")), where);
    }
}
