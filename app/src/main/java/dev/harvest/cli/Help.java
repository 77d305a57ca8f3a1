package dev.harvest.cli;

import dev.harvest.config.BuildInfo;
import dev.harvest.config.Option;
import dev.harvest.config.OptionGroup;
import dev.harvest.config.Options;
import java.util.List;
import java.util.Map;

/**
 * The help texts ({@code --help}, {@code harvest help verify}, {@code harvest help demo}), generated
 * from the option catalogue so they can never drift from it. The man page and the options
 * reference take their prose (synopsis, exit codes, examples) from here too.
 */
final class Help {
    /** Where an option's description starts in the two-column lists (nearer on a narrow terminal). */
    private static final int COLUMN = 30;

    static final String SUMMARY = "call a REST endpoint once per ID; every input line ends in the results, the failed file or skipped";

    static final List<String> USAGE = List.of(
            "harvest [run] --input FILE --url TEMPLATE [options]",
            "harvest [run] --input FILE.csv --url-column COLUMN [options]",
            "harvest verify --input FILE --results FILE --failed FILE [options]",
            "harvest demo [--out DIR] [--serve [--port N]]",
            "harvest help [verify|demo]");

    static final String SOURCES = "Every option is also a KEY in a --config file and a HARVEST_KEY environment variable"
            + " (HARVEST_MAX_BODY for --max-body); a flag wins over the environment, which wins over the file."
            + " '--' ends the options.";

    /** The exit codes and what each means, in order. */
    static final Map<String, String> EXIT_CODES = orderedMap(
            "0", "Every ID is in the results or skipped, or the failed ones are within --max-failed",
            "1", "Completed; some IDs failed (see the failed file)",
            "2", "Usage or config error: nothing was written and no request sent",
            "3", "Aborted (server down, disk full, ...); continue with the same command and --resume",
            "4", "Another run of the same job is still going",
            "130, 143", "Stopped by SIGINT or SIGTERM; continue with --resume");

    /**
     * One worked example.
     *
     * @param what  what it does, one sentence
     * @param lines the command, split into lines a shell joins (each but the last ends in a backslash)
     */
    record Example(String what, List<String> lines) {
    }

    static final List<Example> EXAMPLES = List.of(
            new Example("Fetch every ID in ids.txt; results, failed file, log and summary go to runs/:",
                    List.of("harvest --input ids.txt --url 'https://example.com/items/{id}' --out runs")),
            new Example("Every night from cron: continue a stopped run, let up to 1% of the IDs fail with exit 0:",
                    List.of("harvest --input ids.txt --url 'https://example.com/items/{id}' --out runs \\",
                            "        --resume=auto --max-failed 1% --quiet")),
            new Example("The results to standard output, the log to standard error, for a pipe:",
                    List.of("harvest --input ids.txt --url 'https://example.com/items/{id}' \\",
                            "        --results - --log - --no-progress | jq -c .body")));

    private Help() {
    }

    /** The version, the git commit and the build time as the build recorded them, and the Java runtime. */
    static String version() {
        return BuildInfo.current().versionLine();
    }

    /** The help for {@code topic}: {@code run} (the main help), {@code verify} or {@code demo}. */
    static String text(String topic, Wrap wrap) {
        return switch (topic) {
            case "verify" -> verify(wrap);
            case "demo" -> demo(wrap);
            default -> main(wrap);
        };
    }

    private static String main(Wrap wrap) {
        StringBuilder sb = new StringBuilder(wrap.paragraph("harvest: " + SUMMARY + ".", 0)).append("\nUsage:\n");
        USAGE.forEach(u -> sb.append("  ").append(u).append('\n'));
        sb.append('\n').append(wrap.paragraph(SOURCES, 0));
        for (OptionGroup group : OptionGroup.values()) {
            sb.append('\n').append(group.title()).append(":\n");
            for (Option o : Options.all()) {
                if (o.group() == group) {
                    sb.append(wrap.entry(flag(o), description(o), column(wrap)));
                }
            }
            if (group == OptionGroup.OTHER) {
                sb.append(wrap.entry("-h, --help", "Show this help; harvest help verify, harvest help demo: the subcommands'", column(wrap)));
                sb.append(wrap.entry("-V, --version", "Show the version, commit and build date", column(wrap)));
            }
        }
        sb.append("\nExit codes:\n");
        EXIT_CODES.forEach((code, meaning) -> sb.append(wrap.entry(code, meaning, 12)));
        sb.append("\nExamples:\n");
        for (Example e : EXAMPLES) {
            sb.append(wrap.paragraph(e.what(), 2));
            e.lines().forEach(l -> sb.append("    ").append(l).append('\n'));
        }
        return sb.toString();
    }

    private static String verify(Wrap wrap) {
        StringBuilder sb = new StringBuilder(wrap.paragraph(
                "harvest verify: prove from a run's files alone that every input line is in exactly one place.", 0));
        sb.append("\nUsage:\n  harvest verify --input FILE --results FILE --failed FILE [options]\n\n");
        sb.append(wrap.paragraph("Reads the input with the run's own settings and checks that each line is in the results"
                + " (one block of rows per ID), in the failed file (one row), or skipped (a header, a blank line, another"
                + " shard, not retryable). Prints one line per difference and a tally. Give it the run's input options"
                + " and its --format, --records and --fields.", 0));
        sb.append("\nOptions:\n");
        sb.append(wrap.entry("--results FILE", "The run's results file", column(wrap)));
        sb.append(wrap.entry("--failed FILE", "The run's failed file", column(wrap)));
        for (String key : List.of("summary", "format", "records", "fields", "parse", "config")) {
            Option o = Options.find(key).orElseThrow();
            sb.append(wrap.entry(flag(o), description(o), column(wrap)));
        }
        sb.append(wrap.entry("(input options)", "As for the run: --input, --input-format, --input-header, --id-column,"
                + " --shard, --only-retryable, ... (see harvest --help)", column(wrap)));
        sb.append("\nExit codes:\n");
        sb.append(wrap.entry("0", "Every input line is accounted for exactly once", 12));
        sb.append(wrap.entry("1", "Some line is missing, twice, or in the wrong place (each one is listed)", 12));
        sb.append(wrap.entry("2", "Usage error, or a file cannot be read", 12));
        sb.append("\nExample:\n    harvest verify --input ids.txt \\\n        --results runs/results-20261122-031500.jsonl \\\n"
                + "        --failed runs/failed-20261122-031500.csv\n");
        return sb.toString();
    }

    private static String demo(Wrap wrap) {
        StringBuilder sb = new StringBuilder(wrap.paragraph(
                "harvest demo: try harvest against a stub customer service it starts on 127.0.0.1.", 0));
        sb.append("\nUsage:\n  harvest demo [--out DIR] [options]\n  harvest demo --serve [--port N] [--out DIR]\n\n");
        sb.append(wrap.paragraph("Without --serve: writes " + String.format("%,d", DemoCommand.IDS) + " sample IDs and runs a job"
                + " against the stub, which fails some IDs on purpose (404, and a 503 that a retry gets past), so the demo"
                + " ends with exit code 1 and a failed file. Options such as --concurrency or --format apply as for a run;"
                + " the demo makes its own --input and --url.", 0));
        sb.append('\n').append(wrap.paragraph("With --serve: runs only the stub service, in the foreground until Ctrl-C,"
                + " writes the sample IDs to DIR/" + DemoCommand.SERVE_IDS + " and prints a harvest command to paste into"
                + " another terminal.", 0));
        sb.append("\nOptions:\n");
        sb.append(wrap.entry("--out DIR", "Where the demo writes [default: " + DemoCommand.OUT_DIR
                + ", created when missing]", column(wrap)));
        for (CommandLine.LocalFlag f : CommandLine.LOCAL_FLAGS) {
            if (f.command().equals("demo")) {
                sb.append(wrap.entry("--" + f.name() + (f.isSwitch() ? "" : " " + f.valueName()), f.help(), column(wrap)));
            }
        }
        return sb.toString();
    }

    private static int column(Wrap wrap) {
        return Math.min(COLUMN, wrap.width() * 2 / 5);
    }

    /** How an option is written on the command line, e.g. {@code --retries N}. */
    static String flag(Option o) {
        return "--" + o.key() + (o.isSwitch() ? "" : " " + o.valueName());
    }

    /** The option's help sentence with its default, if it has one worth showing. */
    static String description(Option o) {
        return o.help() + (o.defaultValue() != null && !o.isSwitch() ? " [default: " + o.defaultValue() + "]" : "");
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
