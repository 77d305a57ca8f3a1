package dev.harvest.cli;

import dev.harvest.config.BuildInfo;
import dev.harvest.config.Option;
import dev.harvest.config.Options;

/** The {@code --help} text, generated from the option catalogue so it can never drift from it. */
final class Help {
    private Help() {
    }

    /** The version, the git commit and the build time as the build recorded them, and the Java runtime. */
    static String version() {
        return BuildInfo.current().versionLine();
    }

    static String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("""
                harvest: call a REST endpoint once per ID; every ID ends in results, failed or skipped.

                Usage:
                  harvest [run] --input FILE --url TEMPLATE [options]
                  harvest [run] --input FILE.csv --url-column COL [options]     each row brings its URL
                               add --save-to DIR to download bodies to files, or --parse rss for feeds
                  harvest demo [--out DIR]     run a built-in job against an embedded stub service
                  harvest verify --input FILE --results FILE --failed FILE [--summary FILE] [job flags]
                               prove every input line is in exactly one output (exit 0/1)
                  harvest --help | --version

                Options (flag, or KEY in a --config file, or HARVEST_KEY in the environment;
                flags win over the environment, which wins over the file):
                """);
        for (Option o : Options.all()) {
            String flag = "  --" + o.key() + (o.isSwitch() ? "" : " " + o.valueName());
            sb.append(flag);
            sb.append(flag.length() < 34 ? " ".repeat(34 - flag.length()) : "\n" + " ".repeat(34));
            sb.append(o.help());
            if (o.defaultValue() != null && !o.isSwitch()) {
                sb.append(" [default: ").append(o.defaultValue()).append(']');
            }
            sb.append('\n');
        }
        sb.append("""
                  -v                              Same as --verbose
                  -q                              Same as --quiet
                  -h, --help                      Show this help
                  -V, --version                   Show the version

                Exit codes: 0 all ok (or failed IDs within --max-failed); 1 finished, some IDs failed;
                2 usage or config error;
                3 aborted (resumable); 4 another run holds the lock; 130/143 SIGINT/SIGTERM (resumable).
                """);
        return sb.toString();
    }
}
