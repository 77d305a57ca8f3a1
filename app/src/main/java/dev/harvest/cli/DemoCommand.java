package dev.harvest.cli;

import dev.harvest.config.ConfigException;
import dev.harvest.config.JobConfig;
import dev.harvest.config.Setting;
import dev.harvest.config.SettingsLoader;
import dev.harvest.demo.StubCustomerService;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code harvest demo}: the built-in job. Starts the stub customer service on loopback, writes a
 * sample ID file, and runs the classic job against it with the normal outputs, so a newcomer sees
 * results, a failed file, a log and a summary from one command. Other flags (e.g.
 * {@code --concurrency}, {@code --out}) apply as usual.
 */
final class DemoCommand {
    static final int IDS = 2_000;
    private static final Set<String> OWN = Set.of("input", "url", "config");

    private final Map<String, String> env;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;

    DemoCommand(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
        this.env = env;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    int execute(List<Setting> flags) throws ConfigException {
        for (Setting s : flags) {
            if (OWN.contains(s.key())) {
                throw new ConfigException("demo makes its own --" + s.key() + "; run 'harvest run' for your own job");
            }
        }
        Path outDir = Path.of(flags.stream().filter(s -> s.key().equals("out")).map(Setting::value)
                .reduce((a, b) -> b).orElse("harvest-demo"));
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new ConfigException("--out " + outDir + ": cannot create it (" + e.getMessage() + ")");
        }
        Path ids = outDir.resolve("demo-ids.txt");
        try (StubCustomerService service = StubCustomerService.start()) {
            writeIds(ids);
            List<Setting> settings = new ArrayList<>(List.of(
                    new Setting("input", ids.toString(), "demo"),
                    new Setting("url", service.urlTemplate(), "demo"),
                    new Setting("out", outDir.toString(), "demo"),
                    new Setting("concurrency", "64", "demo"),
                    new Setting("backoff", "100ms", "demo"),
                    new Setting("no-proxy", "true", "demo"), // the stub is on this machine: never via $http_proxy
                    new Setting("format", "csv", "demo"),
                    new Setting("records", "/details", "demo"),
                    new Setting("fields", "customer={id},id=/id,relevanceScore=/relevanceScore,relevanceRank=/relevanceRank", "demo")));
            settings.addAll(flags);
            // Only the demo's settings and the flags: a user's HARVEST_* environment is not the demo's job.
            JobConfig job = JobConfig.from(SettingsLoader.load(settings, Map.of()), env);
            if (!job.report().quiet()) {
                out.println("harvest demo: stub customer service at " + service.urlTemplate().replace("{id}", "")
                        + "; " + IDS + " IDs in " + ids);
            }
            int code = new RunCommand(env, stdin, out, err).execute(job);
            if (!job.report().quiet()) {
                out.println("harvest demo: exit code " + code + (code == ExitCode.SOME_FAILED
                        ? " (some IDs failed, as the demo service intends: see the failed file)" : ""));
            }
            return code;
        } catch (IOException e) {
            throw new ConfigException("demo: cannot start the stub service or write " + ids + ": " + e.getMessage());
        }
    }

    private static void writeIds(Path ids) throws IOException {
        // One ID per line and no header, as xargs or wget -i would read it.
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= IDS; i++) {
            sb.append(String.format("C%07d%n", i));
        }
        Files.writeString(ids, sb, StandardCharsets.UTF_8);
    }
}
