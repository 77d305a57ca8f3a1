package dev.harvest.fault;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The accounting invariant on a messy input: every line is in exactly one of results, failed or skipped. */
class AccountingTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void everyInputLineEndsInExactlyOnePlace() throws Exception {
        server.stubFor(get(urlPathMatching("/c/OK.*")).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"v\":1}")));
        server.stubFor(get(urlPathMatching("/c/NF.*")).willReturn(aResponse().withStatus(404)));
        server.stubFor(get(urlPathMatching("/c/ERR.*")).willReturn(aResponse().withStatus(503)));
        server.stubFor(get(urlPathMatching("/c/BAD.*")).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{")));
        server.stubFor(get(urlPathMatching("/c/%2E%2E")).willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{}")));

        ByteArrayOutputStream in = new ByteArrayOutputStream();
        // A plain list: no header line, the first line is an ID.
        Map<String, String> expected = new HashMap<>(); // id -> where it must end
        int blanks = 0;
        for (int i = 0; i < 200; i++) {
            String id = switch (i % 7) {
                case 0, 1, 2 -> "OK" + i;
                case 3 -> "NF" + i;
                case 4 -> "ERR" + i;
                case 5 -> "BAD" + i;
                default -> "";
            };
            if (id.isEmpty()) {
                in.writeBytes((i % 2 == 0 ? "\n" : "   \r\n").getBytes(StandardCharsets.UTF_8));
                blanks++;
                continue;
            }
            in.writeBytes((id + "\n").getBytes(StandardCharsets.UTF_8));
            expected.put(id, id.startsWith("OK") ? "results" : "failed");
        }
        in.writeBytes("..\n".getBytes(StandardCharsets.UTF_8));
        expected.put("..", "results");
        in.writeBytes("TOO-LONG-ID-0123456789012345\n".getBytes(StandardCharsets.UTF_8));
        expected.put("TOO-LONG-ID-0123456789012345", "failed");
        in.writeBytes(new byte[] {'C', 0x07, 'X', '\n'});
        expected.put("C\u0007X", "failed"); // the failed file keeps the ID as read
        Path input = Files.write(dir.resolve("ids.txt"), in.toByteArray());

        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/c/{id}",
                "--out", dir.toString(), "--retries", "1", "--backoff", "5ms", "--max-id-length", "20", "-q");
        assertEquals(1, r.exitCode(), r.stderr());

        Map<String, String> seen = new HashMap<>();
        Map<String, Integer> times = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Harvest.lines(Harvest.only(dir, "results-"))) {
            String id = json.readTree(line).get("id").asText();
            seen.put(id, "results");
            times.merge(id, 1, Integer::sum);
        }
        CsvMapper csv = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();
        try (MappingIterator<String[]> rows = csv.readerFor(String[].class).readValues(Harvest.only(dir, "failed-").toFile())) {
            rows.next(); // header
            while (rows.hasNext()) {
                String id = rows.next()[0];
                seen.put(id, "failed");
                times.merge(id, 1, Integer::sum);
            }
        }
        assertEquals(expected, seen, "every ID where it belongs");
        assertEquals(expected.size(), times.values().stream().mapToInt(Integer::intValue).sum(), "nothing twice");

        JsonNode summary = json.readTree(Harvest.only(dir, "summary-").toFile());
        long ok = expected.values().stream().filter("results"::equals).count();
        assertEquals(ok, summary.get("ok").asLong());
        assertEquals(expected.size() - ok, summary.get("failed").asLong());
        assertEquals(blanks, summary.get("skipped_by_reason").get("blank").asInt());
        assertEquals(0, summary.at("/skipped_by_reason/header").asInt());
        assertEquals(2, summary.get("failed_by_reason").get("invalid_id").asInt());
        assertEquals(expected.size() + blanks, summary.get("lines_read").asLong(), "every line counted");
    }
}
