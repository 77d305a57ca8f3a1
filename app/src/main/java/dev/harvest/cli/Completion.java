package dev.harvest.cli;

import dev.harvest.config.Option;
import dev.harvest.config.Options;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The bash and zsh completion scripts ({@code harvest completion bash|zsh}), generated from the
 * option catalogue: every option, the subcommands and the demo's own flags; file names after a
 * FILE option, directories after a DIR one, and the listed choices after {@code --format} and the like.
 */
final class Completion {
    private Completion() {
    }

    static String script(String shell) {
        return shell.equals("zsh") ? zsh() : bash();
    }

    /** The options besides the catalogue's: the short forms and help/version. */
    private static final List<String> EXTRA_FLAGS = List.of("--help", "--version", "-h", "-V", "-v", "-q");

    /** What completes an option's value: {@code file}, {@code dir}, a list of choices, or nothing. */
    private static List<String> choices(String valueName) {
        if (valueName.matches("[a-z0-9.-]+(\\|[a-z0-9.-]+)+")) {
            return List.of(valueName.split("\\|"));
        }
        return valueName.equals("LEVEL") ? List.of("error", "warn", "info", "debug", "trace") : List.of();
    }

    private static boolean takesFile(String valueName) {
        return valueName.equals("FILE") || valueName.equals("PEM");
    }

    private static String bash() {
        List<String> flags = new ArrayList<>();
        Options.all().forEach(o -> flags.add("--" + o.key()));
        flags.addAll(EXTRA_FLAGS);
        StringBuilder values = new StringBuilder();
        for (Option o : Options.all()) {
            String action = o.isSwitch() ? null
                    : takesFile(o.valueName()) ? "compgen -f -- \"$cur\""
                    : o.valueName().equals("DIR") ? "compgen -d -- \"$cur\""
                    : !choices(o.valueName()).isEmpty() ? "compgen -W '" + String.join(" ", choices(o.valueName())) + "' -- \"$cur\""
                    : "true";
            if (action != null) {
                values.append("        --").append(o.key()).append(") COMPREPLY=($(").append(action).append(")); return ;;\n");
            }
        }
        values.append("        --port) return ;;\n");
        return """
                # bash completion for harvest. Generated from harvest's option catalogue by
                # `harvest completion bash`; install as share/bash-completion/completions/harvest
                # or source it from ~/.bashrc.
                _harvest() {
                    local cur=${COMP_WORDS[COMP_CWORD]} prev=
                    [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
                    local cmd=${COMP_WORDS[1]:-}
                    if [ "$COMP_CWORD" -ge 2 ]; then
                        case $cmd in
                            help) [ "$COMP_CWORD" = 2 ] && COMPREPLY=($(compgen -W '%s' -- "$cur")); return ;;
                            completion) [ "$COMP_CWORD" = 2 ] && COMPREPLY=($(compgen -W '%s' -- "$cur")); return ;;
                        esac
                    fi
                    case $prev in
                %s    esac
                    local words='%s'
                    case $cmd in
                        demo) words="$words %s" ;;
                        help) words="$words %s" ;;
                    esac
                    if [ "$COMP_CWORD" = 1 ] && [[ $cur != -* ]]; then
                        COMPREPLY=($(compgen -W '%s' -- "$cur"))
                    else
                        COMPREPLY=($(compgen -W "$words" -- "$cur"))
                    fi
                }
                complete -o filenames -F _harvest harvest
                """.formatted(String.join(" ", CommandLine.TOPICS), String.join(" ", CommandLine.SHELLS), values,
                String.join(" ", flags), localFlags("demo"), localFlags("help"),
                String.join(" ", CommandLine.COMMANDS) + " " + CommandLine.COMPLETION);
    }

    private static String localFlags(String command) {
        return CommandLine.LOCAL_FLAGS.stream().filter(f -> f.command().equals(command))
                .map(f -> "--" + f.name()).collect(Collectors.joining(" "));
    }

    private static String zsh() {
        StringBuilder specs = new StringBuilder();
        for (Option o : Options.all()) {
            specs.append("    ").append(zshSpec(o.repeatable(), o.key(), o.valueName(), o.help())).append(" \\\n");
        }
        for (CommandLine.LocalFlag f : CommandLine.LOCAL_FLAGS) {
            if (f.command().equals("demo")) {
                specs.append("    ").append(zshSpec(false, f.name(), f.valueName(), f.help())).append(" \\\n");
            }
        }
        specs.append("    '(- *)'{-h,--help}'[show the help]' \\\n");
        specs.append("    '(- *)'{-V,--version}'[show the version]' \\\n");
        specs.append("    '-v[same as --verbose]' \\\n");
        specs.append("    '-q[same as --quiet]' \\\n");
        String commands = Arrays.stream(new String[][] {
                {"run", "call the endpoint once per input ID (the default)"},
                {"verify", "prove that the files of a run account for every input line"},
                {"demo", "run a job against a built-in stub service"},
                {"help", "show the help of harvest or a subcommand"},
                {"version", "show the version"}})
                .map(c -> "'" + c[0] + ":" + c[1] + "'").collect(Collectors.joining(" "));
        return """
                #compdef harvest
                # zsh completion for harvest. Generated from harvest's option catalogue by
                # `harvest completion zsh`; install as _harvest in a directory on $fpath
                # (e.g. share/zsh/site-functions).
                _harvest() {
                  local -a commands
                  commands=(%s)
                  if (( CURRENT == 2 )) && [[ $words[2] != -* ]]; then
                    _describe -t commands 'harvest command' commands
                    return
                  fi
                  case $words[2] in
                    help) (( CURRENT == 3 )) && _values 'topic' %s; return ;;
                    completion) (( CURRENT == 3 )) && _values 'shell' %s; return ;;
                  esac
                  _arguments -s \\
                %s    '*:: :'
                }
                _harvest "$@"
                """.formatted(commands, String.join(" ", CommandLine.TOPICS), String.join(" ", CommandLine.SHELLS), specs);
    }

    /** One {@code _arguments} spec, e.g. {@code '--retries=[Retries of ...]:N: '}. */
    private static String zshSpec(boolean repeatable, String key, String valueName, String help) {
        String description = help.replaceAll(" \\[default:.*", "").replaceAll("([\\[\\]:\\\\])", "\\\\$1");
        String spec = (repeatable ? "*" : "") + "--" + key + (valueName.isEmpty() ? "" : "=") + "[" + description + "]";
        if (!valueName.isEmpty()) {
            String action = takesFile(valueName) ? "_files" : valueName.equals("DIR") ? "_files -/"
                    : !choices(valueName).isEmpty() ? "(" + String.join(" ", choices(valueName)) + ")" : " ";
            spec += ":" + valueName.replaceAll("([:\\\\])", "\\\\$1") + ":" + action;
        }
        return "'" + spec.replace("'", "'\\''") + "'";
    }
}
