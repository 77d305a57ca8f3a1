package dev.harvest.fault;

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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 body the store stage could not render once killed the store thread: a CSV job then
 * ended "completed" with hundreds of IDs in neither file, and a JSON Lines job hung for good.
 * Whatever the renderer makes of such a body now (rows, or a failed row), the run must end on its
 * own and hold every ID exactly once. The body is one the renderer threw on
 * ({@code 1e9999999999}: a BigDecimal whose scale does not fit an int).
 */
@Tag("slow")
class StageDeathTest {
    private static final int IDS = 600;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private final List<String> ids = IntStream.rangeClosed(1, IDS).mapToObj(i -> String.format("C%07d", i)).toList();

    private void stub() {
        server.stubFor(get(urlPathMatching("/customers/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"details\":[{\"x\":1}]}")));
        // Every tenth ID, from the 3rd on: a number the old renderer could not write.
        server.stubFor(get(urlPathMatching("/customers/C\\d{6}3")).atPriority(1).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"details\":[{\"x\":1e9999999999}]}")));
    }

    private String[] args(Path input, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("--input", input.toString(),
                "--url", server.baseUrl() + "/customers/{id}", "--out", out.toString(), "-q", "--concurrency", "8"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    private void runAndCheck(String... shape) throws Exception {
        stub();
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
        Path out = Files.createDirectory(dir.resolve("out"));
        ChildRun run = ChildRun.start(dir.resolve("child.out"), args(input, out, shape));
        int code = run.exitWithin(120);
        String text = run.text();
        assertTrue(code == 0 || code == 1, "completed (exit " + code + "): " + text);
        assertFalse(text.contains("Exception"), "no stack trace: " + text);
        List<String> failed = ChildRun.assertEachIdOnce(out, ids);
        assertEquals(code == 1, !failed.isEmpty(), "exit 1 exactly when some IDs failed: " + failed);
        for (String row : failed) {
            assertTrue(row.matches("C\\d{6}3,bad_json,200,1,false,.*"), "not rendered: bad_json, not retryable: " + row);
        }
    }

    @Test
    void csvJobWithAnUnrenderableBodyKeepsEveryId() throws Exception {
        runAndCheck("--format", "csv", "--records", "/details", "--fields", "customer={id},x=/x");
    }

    @Test
    void jsonLinesJobWithAnUnrenderableBodyEndsAndKeepsEveryId() throws Exception {
        runAndCheck("--records", "/details");
    }
}
