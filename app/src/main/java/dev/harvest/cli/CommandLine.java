package dev.harvest.cli;

import dev.harvest.config.ConfigException;
import dev.harvest.config.Option;
import dev.harvest.config.Options;
import dev.harvest.config.Setting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed command line: an optional subcommand, then {@code --key value}, {@code --key=value}
 * and switches from the option catalogue, plus the few flags of one subcommand ({@code demo
 * --serve}). {@code --} ends the options: what follows is an operand even when it starts with
 * {@code -}. Only {@code help TOPIC} and {@code completion SHELL} take operands.
 *
 * @param command  the subcommand ({@code run} when none was given)
 * @param settings the settings given as flags
 * @param local    the subcommand's own flags (name without dashes to value; "true" for a switch)
 * @param operands the arguments that are not options
 * @param help     {@code --help} was given
 * @param version  {@code --version} was given
 */
record CommandLine(String command, List<Setting> settings, Map<String, String> local, List<String> operands,
                   boolean help, boolean version) {
    /** The subcommands {@code --help} and the completions offer. */
    static final List<String> COMMANDS = List.of("run", "verify", "demo", "help", "version");
    /** Prints a shell completion script; left out of the help, like {@code help --man}. */
    static final String COMPLETION = "completion";
    /** The shells {@code harvest completion} writes a script for. */
    static final List<String> SHELLS = List.of("bash", "zsh");
    /** What {@code harvest help} explains besides the main help. */
    static final List<String> TOPICS = List.of("run", "verify", "demo");

    /**
     * A flag only one subcommand takes.
     *
     * @param command   the subcommand
     * @param name      the flag without its dashes
     * @param valueName what its value looks like, or empty for a switch
     * @param help      one sentence for the subcommand's help
     */
    record LocalFlag(String command, String name, String valueName, String help) {
        boolean isSwitch() {
            return valueName.isEmpty();
        }
    }

    /** Every subcommand's own flags. */
    static final List<LocalFlag> LOCAL_FLAGS = List.of(
            new LocalFlag("demo", "serve", "", "Run only the stub service, in the foreground until Ctrl-C, and print"
                    + " a harvest command to paste into another terminal"),
            new LocalFlag("demo", "port", "N", "The port --serve listens on, on 127.0.0.1 [default: "
                    + DemoCommand.SERVE_PORT + "; 0 picks a free one]"),
            new LocalFlag("help", "man", "", "Print the man page (roff), generated from the option catalogue"),
            new LocalFlag("help", "markdown", "", "Print the options reference (Markdown), as in docs/options.md"));

    static CommandLine parse(String[] args) throws ConfigException {
        int i = 0;
        String command = "run";
        if (args.length > 0 && !args[0].startsWith("-")) {
            if (!COMMANDS.contains(args[0]) && !args[0].equals(COMPLETION)) {
                throw new ConfigException("unknown command '" + args[0] + "' (commands: " + String.join(", ", COMMANDS) + ")");
            }
            command = args[0];
            i = 1;
        }
        boolean help = command.equals("help");
        boolean version = command.equals("version");
        List<Setting> settings = new ArrayList<>();
        Map<String, String> local = new LinkedHashMap<>();
        List<String> operands = new ArrayList<>();
        boolean optionsEnded = false;
        for (; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                if (!optionsEnded && !settings.isEmpty() && settings.getLast().key().equals("header")) {
                    // --header X-Api-Key: s3cret (unquoted): the stray word is the secret.
                    throw new ConfigException("unexpected argument after --header (not shown, as it may be a secret);"
                            + " give a header as one argument: --header 'Name: value'");
                }
                operands.add(arg);
                continue;
            }
            switch (arg) {
                case "--" -> optionsEnded = true;
                case "-h", "--help" -> help = true;
                case "-V", "--version" -> version = true;
                case "-v" -> settings.add(new Setting("verbose", "true", "-v"));
                case "-q" -> settings.add(new Setting("quiet", "true", "-q"));
                default -> {
                    if (!arg.startsWith("--")) {
                        throw new ConfigException("unknown option " + arg + " (options start with --; see --help)");
                    }
                    i = option(command, args, i, settings, local);
                }
            }
        }
        if (command.equals("help") || !help && !version) {
            checkOperands(command, operands);
        }
        return new CommandLine(command, List.copyOf(settings), Map.copyOf(local), List.copyOf(operands), help, version);
    }

    /** Reads the option at {@code args[i]} (and its value); returns the index of the last argument used. */
    private static int option(String command, String[] args, int i, List<Setting> settings, Map<String, String> local)
            throws ConfigException {
        String body = args[i].substring(2);
        int eq = body.indexOf('=');
        String key = eq < 0 ? body : body.substring(0, eq);
        Optional<LocalFlag> own = LOCAL_FLAGS.stream().filter(f -> f.command().equals(command) && f.name().equals(key)).findFirst();
        Optional<Option> option = Options.find(key);
        if (own.isEmpty() && option.isEmpty()) {
            throw new ConfigException("unknown option --" + key
                    + Options.nearest(key).map(n -> " (did you mean --" + n + "?)").orElse(""));
        }
        boolean isSwitch = own.map(LocalFlag::isSwitch).orElseGet(() -> option.get().isSwitch());
        String valueName = own.map(LocalFlag::valueName).orElseGet(() -> option.get().valueName());
        String value;
        int last = i;
        if (eq >= 0) {
            value = body.substring(eq + 1);
        } else if (isSwitch) {
            value = "true";
        } else if (i + 1 < args.length) {
            value = args[++last];
        } else {
            throw new ConfigException("--" + key + " needs a value (" + valueName + ")");
        }
        if (own.isPresent()) {
            local.put(key, value);
        } else {
            settings.add(new Setting(key, value, "--" + key));
        }
        return last;
    }

    /** Only {@code help} and {@code completion} take operands; elsewhere one is a mistake, named in the error. */
    private static void checkOperands(String command, List<String> operands) throws ConfigException {
        switch (command) {
            case "help" -> {
                if (operands.size() > 1 || (operands.size() == 1 && !TOPICS.contains(operands.getFirst()))) {
                    throw new ConfigException("harvest help takes one of " + String.join(", ", TOPICS) + "; got '"
                            + String.join(" ", operands) + "'");
                }
            }
            case COMPLETION -> {
                if (operands.size() != 1 || !SHELLS.contains(operands.getFirst())) {
                    throw new ConfigException("harvest completion takes one of " + String.join(", ", SHELLS) + "; got '"
                            + String.join(" ", operands) + "'");
                }
            }
            default -> {
                if (!operands.isEmpty()) {
                    throw new ConfigException("unexpected argument '" + operands.getFirst() + "': harvest " + command
                            + " takes options only (the IDs come from --input FILE; see harvest help"
                            + (command.equals("run") ? "" : " " + command) + ")");
                }
            }
        }
    }

    /** What {@code --help} explains: the subcommand, or the topic after {@code harvest help}. */
    String helpTopic() {
        if (command.equals("help")) {
            return operands.isEmpty() ? "run" : operands.getFirst();
        }
        return TOPICS.contains(command) ? command : "run";
    }
}
