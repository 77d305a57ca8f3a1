package dev.harvest.cli;

import dev.harvest.config.BuildInfo;
import dev.harvest.config.Option;
import dev.harvest.config.OptionGroup;
import dev.harvest.config.Options;

/** The man page {@code harvest(1)} in roff ({@code harvest help --man}), generated from the option catalogue. */
final class ManPage {
    private ManPage() {
    }

    static String text() {
        BuildInfo build = BuildInfo.current();
        StringBuilder sb = new StringBuilder();
        sb.append(".\\\" Generated from harvest's option catalogue by `harvest help --man`; do not edit.\n");
        sb.append(".TH HARVEST 1 \"").append(build.built().length() >= 10 ? build.built().substring(0, 10) : build.built())
                .append("\" \"harvest ").append(esc(build.version())).append("\" \"User Commands\"\n");
        sb.append(".SH NAME\nharvest \\- ").append(esc(Help.SUMMARY)).append('\n');
        sb.append(".SH SYNOPSIS\n.nf\n");
        Help.USAGE.forEach(u -> sb.append(esc(u)).append('\n'));
        sb.append(".fi\n");
        sb.append(".SH DESCRIPTION\n").append(esc("harvest reads IDs from --input, calls the --url template once per ID"
                + " (many at once, with retries, backoff and a circuit breaker) and writes each answer to a results file,"
                + " each ID that failed for good to a failed file, and a log and a JSON summary beside them, all in --out."
                + " A stopped run continues where it left off with --resume; harvest verify proves that every input line"
                + " ended in exactly one place.")).append('\n');
        sb.append(".PP\n").append(esc(Help.SOURCES)).append('\n');
        sb.append(".SH OPTIONS\n");
        for (OptionGroup group : OptionGroup.values()) {
            sb.append(".SS ").append(esc(group.title())).append('\n');
            for (Option o : Options.all()) {
                if (o.group() == group) {
                    item(sb, "\\fB\\-\\-" + esc(o.key()) + "\\fR" + (o.isSwitch() ? "" : " \\fI" + esc(o.valueName()) + "\\fR"),
                            Help.description(o) + " (" + o.envName() + ")");
                }
            }
        }
        sb.append(".SS Short forms\n");
        item(sb, "\\fB\\-v\\fR", "Same as --verbose");
        item(sb, "\\fB\\-q\\fR", "Same as --quiet");
        item(sb, "\\fB\\-h\\fR, \\fB\\-\\-help\\fR", "Show the help; harvest help verify and harvest help demo show the subcommands'");
        item(sb, "\\fB\\-V\\fR, \\fB\\-\\-version\\fR", "Show the version, commit and build date");
        sb.append(".SH COMMANDS\n");
        item(sb, "\\fBrun\\fR", "The default: run a job");
        item(sb, "\\fBverify\\fR", "Prove from a run's files that every input line is in exactly one of the results, the"
                + " failed file or skipped (exit 0), or list the differences (exit 1); see harvest help verify");
        item(sb, "\\fBdemo\\fR", "Run a job against a built-in stub service, writing to " + DemoCommand.OUT_DIR
                + "; see harvest help demo");
        for (CommandLine.LocalFlag f : CommandLine.LOCAL_FLAGS) {
            if (f.command().equals("demo")) {
                item(sb, "\\fBdemo \\-\\-" + esc(f.name()) + "\\fR" + (f.isSwitch() ? "" : " \\fI" + esc(f.valueName()) + "\\fR"),
                        f.help());
            }
        }
        item(sb, "\\fBcompletion\\fR \\fIbash\\fR|\\fIzsh\\fR", "Print a shell completion script");
        sb.append(".SH EXIT STATUS\n");
        Help.EXIT_CODES.forEach((code, meaning) -> item(sb, "\\fB" + esc(code) + "\\fR", meaning));
        sb.append(".SH EXAMPLES\n");
        for (Help.Example e : Help.EXAMPLES) {
            sb.append(".PP\n").append(esc(e.what())).append("\n.PP\n.nf\n.RS 4\n");
            e.lines().forEach(l -> sb.append(esc(l)).append('\n'));
            sb.append(".RE\n.fi\n");
        }
        sb.append(".SH SEE ALSO\n").append(esc("curl(1), jq(1); docs/options.md and the README in harvest's source"
                + " repository")).append('\n');
        return sb.toString();
    }

    /** A tagged paragraph: the term on its own line, the text indented below it. */
    private static void item(StringBuilder sb, String term, String text) {
        sb.append(".TP\n").append(term).append('\n').append(esc(text)).append('\n');
    }

    /** Text made safe for roff: backslashes and dashes escaped, no control line from a leading dot or quote. */
    static String esc(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-");
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }
}
