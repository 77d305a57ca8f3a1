package dev.harvest.cli;

import dev.harvest.config.ConfigException;
import dev.harvest.config.JobConfig;
import dev.harvest.config.Setting;
import dev.harvest.config.SettingsLoader;
import dev.harvest.demo.StubCustomerService;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code harvest demo}: the built-in job. Starts the stub customer service on loopback, writes a
 * sample ID file, and runs the classic job against it with the normal outputs, so a newcomer sees
 * results, a failed file, a log and a summary from one command. Other flags (e.g.
 * {@code --concurrency}, {@code --out}) apply as usual. With {@code --serve} it only runs the
 * service, until Ctrl-C, for a first job of the user's own typed against it.
 */
final class DemoCommand {
    static final int IDS = 2_000;
    /** The default --out: a folder of its own (git-ignored in harvest's repository), not the working directory. */
    static final String OUT_DIR = "harvest-demo";
    /** The sample ID file's name in --out. */
    static final String SERVE_IDS = "demo-ids.txt";
    /** The port {@code --serve} listens on unless told: a fixed one, so written instructions can name it. */
    static final int SERVE_PORT = 8089;
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

    int execute(List<Setting> flags, Map<String, String> local) throws ConfigException {
        for (Setting s : flags) {
            if (OWN.contains(s.key())) {
                throw new ConfigException("demo makes its own --" + s.key() + "; run 'harvest run' for your own job");
            }
        }
        boolean serve = local.containsKey("serve") && !local.get("serve").equals("false");
        if (local.containsKey("port") && !serve) {
            throw new ConfigException("--port is for harvest demo --serve");
        }
        if (serve && flags.stream().anyMatch(s -> !s.key().equals("out"))) {
            throw new ConfigException("harvest demo --serve takes only --out and --port (the job's options go on the"
                    + " harvest command it prints)");
        }
        Path outDir = Path.of(flags.stream().filter(s -> s.key().equals("out")).map(Setting::value)
                .reduce((a, b) -> b).orElse(OUT_DIR));
        OutDir.create(outDir);
        Path ids = outDir.resolve(SERVE_IDS);
        return serve ? serve(ids, port(local.get("port"))) : run(flags, outDir, ids);
    }

    private int run(List<Setting> flags, Path outDir, Path ids) throws ConfigException {
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

    /** {@code --serve}: the stub service in the foreground and a command to paste; returns only when interrupted. */
    private int serve(Path ids, int port) throws ConfigException {
        StubCustomerService service;
        try {
            writeIds(ids);
            service = StubCustomerService.start(port);
        } catch (BindException e) {
            throw new ConfigException("--port " + port + ": cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); choose another --port, or --port 0 for a free one");
        } catch (IOException e) {
            throw new ConfigException("demo: cannot start the stub service or write " + ids + ": " + e.getMessage());
        }
        try (service) {
            Path absIds = ids.toAbsolutePath().normalize();
            out.println("harvest demo: stub customer service at " + service.urlTemplate().replace("{id}", "")
                    + " until Ctrl-C; " + IDS + " sample IDs in " + absIds);
            out.println("harvest demo: in another terminal, run:");
            out.println();
            out.println("  harvest --input " + shellWord(absIds.toString()) + " --url '" + service.urlTemplate() + "' --out "
                    + shellWord(absIds.getParent().resolve("first-job").toString()));
            out.println();
            out.flush();
            new CountDownLatch(1).await(); // until SIGINT/SIGTERM ends the JVM
            return ExitCode.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.SIGINT;
        }
    }

    private static int port(String value) throws ConfigException {
        if (value == null) {
            return SERVE_PORT;
        }
        if (!value.strip().matches("\\d{1,5}") || Integer.parseInt(value.strip()) > 65_535) {
            throw new ConfigException("--port: expected a port number from 0 to 65535, got '" + value + "'");
        }
        return Integer.parseInt(value.strip());
    }

    /** A path as one shell word: bare when it is plain, else single-quoted. */
    private static String shellWord(String s) {
        return s.matches("[A-Za-z0-9_./+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
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
