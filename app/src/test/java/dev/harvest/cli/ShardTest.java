package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Scale-out: N processes, each with its shard, together fetch every ID exactly once. */
@Tag("slow")
class ShardTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    @Test
    void fourShardProcessesCoverTheInputExactlyOnce() throws Exception {
        server.stubFor(get(urlPathMatching("/customers/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
        List<String> ids = IntStream.rangeClosed(1, 400).mapToObj(i -> String.format("C%07d", i)).toList();
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
        Path out = Files.createDirectory(dir.resolve("out"));

        List<Process> shards = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            ProcessBuilder pb = new ProcessBuilder(Harvest.childCommand("--input", input.toString(),
                    "--url", server.baseUrl() + "/customers/{id}", "--out", out.toString(), "-q"))
                    .redirectOutput(new File(dir.toFile(), "shard" + k + ".out")).redirectErrorStream(true);
            // As in a Kubernetes Indexed Job: the index and the count come from the environment.
            pb.environment().put("JOB_COMPLETION_INDEX", String.valueOf(k));
            pb.environment().put("HARVEST_SHARDS", "4");
            shards.add(pb.start());
        }
        for (int k = 0; k < 4; k++) {
            Process p = shards.get(k);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "shard " + k + " finished");
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("shard" + k + ".out")));
        }

        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> seen = new HashMap<>();
        List<Path> resultFiles = Files.list(out).filter(p -> p.getFileName().toString().startsWith("results-")).toList();
        assertEquals(4, resultFiles.size(), "one results file per shard: " + resultFiles);
        for (int k = 0; k < 4; k++) {
            String suffix = "-shard" + k + "of4.jsonl";
            assertTrue(resultFiles.stream().anyMatch(p -> p.getFileName().toString().endsWith(suffix)), suffix);
        }
        for (Path f : resultFiles) {
            for (String line : Files.readAllLines(f)) {
                seen.merge(json.readTree(line).get("id").asText(), 1, Integer::sum);
            }
        }
        assertEquals(ids.size(), seen.size(), "every ID fetched");
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "no ID twice");
        assertEquals(ids.size(), server.getAllServeEvents().size(), "one request per ID across all shards");
    }
}
