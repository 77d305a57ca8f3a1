package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The classic nightly job, end to end through the CLI: IDs in, the 4-column CSV out. */
class ClassicJobTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private static String body(String id) {
        return "{\"customer\":\"" + id + "\",\"details\":["
                + "{\"id\":\"" + id + "-1\",\"relevanceScore\":0.91,\"relevanceRank\":1},"
                + "{\"id\":\"" + id + "-2\",\"relevanceScore\":0.5,\"relevanceRank\":2}],\"profile\":{\"n\":1}}";
    }

    private void stubCustomer(String id) {
        server.stubFor(get(urlEqualTo("/customers/" + id)).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(body(id))));
    }

    private String[] classicArgs(Path input, Path out) {
        return new String[] {"--input", input.toString(), "--url", server.baseUrl() + "/customers/{id}",
                "--out", out.toString(), "--format", "csv", "--records", "/details",
                "--fields", "customer={id},id=/id,relevanceScore=/relevanceScore,relevanceRank=/relevanceRank"};
    }

    @Test
    void writesTheClassicCsvByteForByte() throws Exception {
        stubCustomer("C1");
        stubCustomer("C2");
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1", "C2"));
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result r = Harvest.run(classicArgs(input, out));

        assertEquals(0, r.exitCode(), r.stderr());
        String csv = Files.readString(Harvest.only(out, "results-"), StandardCharsets.UTF_8);
        List<String> rows = csv.lines().toList();
        assertEquals("customer,id,relevanceScore,relevanceRank", rows.getFirst());
        // Completion order is not input order; the row set and the bytes of each row are fixed.
        assertEquals(List.of("C1,C1-1,0.91,1", "C1,C1-2,0.5,2", "C2,C2-1,0.91,1", "C2,C2-2,0.5,2"),
                rows.subList(1, rows.size()).stream().sorted().toList());
        assertTrue(csv.endsWith("\n") && !csv.contains("\r"), "LF line endings");
        assertEquals(List.of("id,reason,http_status,attempts,retryable,message"),
                Harvest.lines(Harvest.only(out, "failed-")));
        assertTrue(r.stdout().contains("ok           2  (4 rows)"), r.stdout());
        assertTrue(Harvest.names(out).stream().noneMatch(n -> n.endsWith(".part") || n.endsWith(".journal")),
                "no .part or journal left after a completed run: " + Harvest.names(out));
        String log = Files.readString(Harvest.only(out, "harvest-"));
        assertTrue(log.contains("INFO") && log.contains("effective config") && log.contains("run ended"), log);
    }

    @Test
    void failuresGoToTheFailedFileWhichFeedsARerun() throws Exception {
        stubCustomer("C1");
        server.stubFor(get(urlEqualTo("/customers/C404")).willReturn(aResponse().withStatus(404).withBody("no such customer")));
        server.stubFor(get(urlEqualTo("/customers/CBAD")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"customer\":")));
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1", "C404", "CBAD"));
        Path out = Files.createDirectory(dir.resolve("out"));

        Harvest.Result first = Harvest.run(classicArgs(input, out));

        assertEquals(1, first.exitCode(), "exit 1 when some IDs failed");
        Path failed = Harvest.only(out, "failed-");
        List<String> rows = Harvest.lines(failed);
        assertEquals("id,reason,http_status,attempts,retryable,message", rows.getFirst());
        assertTrue(rows.contains("C404,http_404,404,1,false,HTTP 404: no such customer"), rows.toString());
        assertTrue(rows.stream().anyMatch(l -> l.startsWith("CBAD,bad_json,200,1,false,")), rows.toString());
        assertEquals(3, rows.size());

        // The service is fixed; the failed file goes back in unchanged.
        server.resetAll();
        stubCustomer("C404");
        stubCustomer("CBAD");
        Path rerun = Files.createDirectory(dir.resolve("rerun"));
        Harvest.Result second = Harvest.run(classicArgs(failed, rerun));

        assertEquals(0, second.exitCode(), second.stdout() + second.stderr());
        List<String> fixed = Harvest.lines(Harvest.only(rerun, "results-"));
        assertEquals(List.of("C404,C404-1,0.91,1", "C404,C404-2,0.5,2", "CBAD,CBAD-1,0.91,1", "CBAD,CBAD-2,0.5,2"),
                fixed.subList(1, fixed.size()).stream().sorted().toList());
        server.verify(0, getRequestedFor(urlEqualTo("/customers/C1")));
    }

    @Test
    void jsonLinesByDefaultOneLinePerId() throws Exception {
        stubCustomer("C1");
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1"));
        Harvest.Result r = Harvest.run("--input", input.toString(), "--url", server.baseUrl() + "/customers/{id}",
                "--out", dir.toString(), "-q");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stdout(), "--quiet prints nothing");
        List<String> lines = Harvest.lines(Harvest.only(dir, "results-"));
        assertEquals(List.of("{\"id\":\"C1\",\"status\":200,\"body\":" + body("C1") + "}"), lines);
        server.verify(1, getRequestedFor(urlPathMatching("/customers/.*")));
    }

    @Test
    void resumeNeedsAnUnfinishedRunButResumeAutoStartsAfresh() throws Exception {
        stubCustomer("C1");
        Path input = Harvest.idFile(dir, "ids.txt", "customer_id", List.of("C1"));
        Path out = Files.createDirectory(dir.resolve("out"));
        String[] base = classicArgs(input, out);

        String[] resume = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.stream.Stream.of("--resume"))
                .toArray(String[]::new);
        Harvest.Result strict = Harvest.run(resume);
        assertEquals(2, strict.exitCode());
        assertTrue(strict.stderr().startsWith("harvest: error: --resume: no unfinished run of this job"), strict.stderr());
        // Only the job's lock file (persistent hidden state, see README) may exist.
        assertEquals(List.of(), Harvest.names(out).stream().filter(n -> !n.endsWith(".lock")).toList(), "nothing written");

        String[] auto = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.stream.Stream.of("--resume=auto"))
                .toArray(String[]::new);
        Harvest.Result fresh = Harvest.run(auto);
        assertEquals(0, fresh.exitCode(), fresh.stderr());
        assertEquals(3, Harvest.lines(Harvest.only(out, "results-")).size());
    }
}
