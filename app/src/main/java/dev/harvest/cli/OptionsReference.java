package dev.harvest.cli;

import dev.harvest.config.Option;
import dev.harvest.config.OptionGroup;
import dev.harvest.config.Options;

/**
 * The options reference in Markdown ({@code harvest help --markdown}), kept in the repository as
 * docs/options.md; a test fails when that file differs from what this generates.
 */
final class OptionsReference {
    private OptionsReference() {
    }

    static String text() {
        StringBuilder sb = new StringBuilder("# harvest options\n\n");
        sb.append("<!-- Generated from harvest's option catalogue by `harvest help --markdown > docs/options.md`;"
                + " do not edit by hand (OptionsReferenceTest fails when this file is stale). -->\n\n");
        sb.append(Help.SOURCES).append("\n\n");
        sb.append("Usage:\n\n```\n");
        Help.USAGE.forEach(u -> sb.append(u).append('\n'));
        sb.append("```\n");
        for (OptionGroup group : OptionGroup.values()) {
            sb.append("\n## ").append(group.title()).append("\n\n");
            sb.append("| option | environment | default | what it does |\n|---|---|---|---|\n");
            for (Option o : Options.all()) {
                if (o.group() == group) {
                    sb.append("| `").append(cell(Help.flag(o))).append("` | `").append(o.envName()).append("` | ")
                            .append(o.defaultValue() == null || o.isSwitch() ? "" : "`" + cell(o.defaultValue()) + "`")
                            .append(" | ").append(prose(o.help())).append(" |\n");
                }
            }
        }
        sb.append("\nShort forms: `-v` is `--verbose`, `-q` is `--quiet`, `-h` is `--help`, `-V` is `--version`.\n");
        sb.append("\n## harvest demo\n\n| option | what it does |\n|---|---|\n");
        sb.append("| `--out DIR` | Where the demo writes (default `").append(DemoCommand.OUT_DIR).append("`, created when missing) |\n");
        for (CommandLine.LocalFlag f : CommandLine.LOCAL_FLAGS) {
            if (f.command().equals("demo")) {
                sb.append("| `--").append(f.name()).append(f.isSwitch() ? "" : " " + f.valueName()).append("` | ")
                        .append(prose(f.help())).append(" |\n");
            }
        }
        sb.append("\n## Exit codes\n\n| code | meaning |\n|---|---|\n");
        Help.EXIT_CODES.forEach((code, meaning) -> sb.append("| ").append(code).append(" | ").append(prose(meaning)).append(" |\n"));
        return sb.toString();
    }

    /** Code for a table cell: a pipe would end the cell. */
    private static String cell(String s) {
        return s.replace("|", "\\|");
    }

    /** Prose for a table cell: besides the pipe, {@code <start time>} must not read as an HTML tag, nor * as emphasis. */
    private static String prose(String s) {
        return cell(s).replace("<", "&lt;").replace("*", "\\*");
    }
}
