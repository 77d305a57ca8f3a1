package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import dev.harvest.config.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations recipes in jlink/: the Kubernetes manifests parse (PyYAML, which .ci/run
 * installs; skipped visibly without it) and carry the settings the docs promise, the CronJob and
 * the crontab run the same nightly flags, and harvest itself accepts the CronJob's arguments.
 */
class OpsRecipesTest {
    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JLINK = Path.of("..", "jlink");
    /** The nightly flags the CronJob and the crontab must spell alike. */
    private static final List<String> NIGHTLY = List.of("--resume", "--max-failed", "--keep-runs", "--latest", "--quiet");

    @TempDir
    Path dir;

    /** The YAML documents of a manifest, as JSON (through python3 and PyYAML's safe loader). */
    private static List<JsonNode> manifest(String name) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", "import json, sys, yaml; "
                    + "json.dump(list(yaml.safe_load_all(open(sys.argv[1], encoding='utf-8'))), sys.stdout)",
                    JLINK.resolve("k8s").resolve(name).toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 not found: the manifests cannot be parsed here (.ci/run installs python3-yaml)");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        Assumptions.assumeFalse(out.contains("No module named 'yaml'"),
                "PyYAML not installed: the manifests cannot be parsed here (apt-get install python3-yaml; .ci/run does)");
        assertEquals(0, code, name + " does not parse as YAML: " + out);
        List<JsonNode> docs = new ArrayList<>();
        JSON.readTree(out).forEach(docs::add);
        return docs;
    }

    private static JsonNode container(JsonNode podSpec) {
        return StreamSupport.stream(podSpec.get("containers").spliterator(), false)
                .filter(c -> c.get("name").asText().equals("harvest")).findFirst().orElseThrow();
    }

    private static String env(JsonNode container, String name) {
        return StreamSupport.stream(container.get("env").spliterator(), false).filter(e -> e.get("name").asText().equals(name))
                .map(e -> e.path("value").asText()).findFirst().orElse(null);
    }

    private static List<String> args(JsonNode container) {
        List<String> args = new ArrayList<>();
        container.get("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    /** What both manifests promise about the pod. */
    private static void assertOperable(String name, JsonNode jobSpec) {
        JsonNode pod = jobSpec.get("template").get("spec");
        JsonNode harvest = container(pod);
        assertEquals("Never", pod.get("restartPolicy").asText(), name);
        assertFalse(pod.get("automountServiceAccountToken").asBoolean(true), name + ": no service-account token");
        assertEquals("OnRootMismatch", pod.get("securityContext").get("fsGroupChangePolicy").asText(), name);
        assertTrue(pod.get("securityContext").get("runAsNonRoot").asBoolean(), name);
        assertTrue(args(harvest).contains("--resume=auto"), name + ": " + args(harvest));
        JsonNode resources = harvest.get("resources");
        String cpuLimit = resources.get("limits").get("cpu").asText();
        assertFalse(resources.get("requests").get("cpu").asText().isEmpty(), name);
        assertTrue(env(harvest, "HARVEST_JAVA_OPTS").contains("-XX:ActiveProcessorCount=" + cpuLimit),
                name + ": ActiveProcessorCount = the CPU limit " + cpuLimit);
        jobSpec.get("podFailurePolicy").get("rules").forEach(rule -> {
            if (rule.has("onExitCodes")) {
                assertEquals("harvest", rule.get("onExitCodes").get("containerName").asText(), name);
            }
        });
        for (String arg : args(harvest)) {
            if (arg.startsWith("--")) {
                String key = arg.substring(2).split("=", 2)[0];
                assertTrue(Options.find(key).isPresent(), name + ": " + arg + " is not a harvest option");
            }
        }
    }

    @Test
    void theIndexedJobParsesAndShardsByItsCompletions() throws Exception {
        List<JsonNode> docs = manifest("indexed-job.yaml");
        JsonNode job = docs.getFirst();
        assertEquals("Job", job.get("kind").asText());
        assertEquals("Indexed", job.get("spec").get("completionMode").asText());
        assertOperable("indexed-job.yaml", job.get("spec"));
        JsonNode harvest = container(job.get("spec").get("template").get("spec"));
        assertEquals(job.get("spec").get("completions").asText(), env(harvest, "HARVEST_SHARDS"), "HARVEST_SHARDS = completions");
        assertEquals("PersistentVolumeClaim", docs.get(1).get("kind").asText());
    }

    @Test
    void theCronJobParsesAndRunsTheSameNightlyFlagsAsTheCrontab() throws Exception {
        List<JsonNode> docs = manifest("cronjob.yaml");
        JsonNode cron = docs.getFirst();
        assertEquals("CronJob", cron.get("kind").asText());
        assertEquals("Forbid", cron.get("spec").get("concurrencyPolicy").asText(), "never two nights at once");
        JsonNode jobSpec = cron.get("spec").get("jobTemplate").get("spec");
        assertOperable("cronjob.yaml", jobSpec);
        List<String> k8sArgs = args(container(jobSpec.get("template").get("spec")));

        String line = Files.readAllLines(JLINK.resolve("cron").resolve("harvest.crontab")).stream()
                .filter(l -> l.contains("harvest run")).findFirst().orElseThrow();
        // In a crontab % must be written \% (a bare % ends the command).
        assertFalse(line.replace("\\%", "").contains("%"), "an unescaped % in the crontab line: " + line);
        List<String> cronArgs = List.of(line.replace("\\%", "%").split("\\s+"));
        for (String flag : NIGHTLY) {
            List<String> inK8s = k8sArgs.stream().filter(a -> a.equals(flag) || a.startsWith(flag + "=")).toList();
            List<String> inCron = cronArgs.stream().filter(a -> a.equals(flag) || a.startsWith(flag + "=")).toList();
            assertEquals(1, inK8s.size(), flag + " in the CronJob: " + k8sArgs);
            assertEquals(inK8s, inCron, flag + ": the CronJob and the crontab agree");
        }

        // harvest takes the CronJob's arguments as they are (only the paths and the URL moved here).
        server.stubFor(get(urlPathMatching("/items/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{}")));
        Path input = Harvest.idFile(dir, "ids.txt", "id", List.of("A", "B"));
        Path out = Files.createDirectory(dir.resolve("out"));
        List<String> runArgs = k8sArgs.stream().map(a -> a
                .replace("/data/in/ids.txt", input.toString())
                .replace("/data/out", out.toString())
                .replace("https://api.example.com", server.baseUrl())).toList();
        assertEquals("run", runArgs.getFirst());
        Harvest.Result r = Harvest.run(Map.of("API_TOKEN", "t0ken"), runArgs.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(Files.isSymbolicLink(out.resolve("results-latest.jsonl")), Harvest.names(out).toString());
    }
}
