package dev.harvest.cli;

import dev.harvest.config.ConfigException;
import dev.harvest.config.Option;
import dev.harvest.config.Options;
import dev.harvest.config.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parsed command line: an optional subcommand, then {@code --key value}, {@code --key=value}
 * and switches.
 *
 * @param command  the subcommand ({@code run} when none was given)
 * @param settings the settings given as flags
 * @param help     {@code --help} was given
 * @param version  {@code --version} was given
 */
record CommandLine(String command, List<Setting> settings, boolean help, boolean version) {
    static final List<String> COMMANDS = List.of("run", "demo", "verify", "help", "version");

    static CommandLine parse(String[] args) throws ConfigException {
        int i = 0;
        String command = "run";
        if (args.length > 0 && !args[0].startsWith("-")) {
            if (!COMMANDS.contains(args[0])) {
                throw new ConfigException("unknown command '" + args[0] + "' (commands: " + String.join(", ", COMMANDS) + ")");
            }
            command = args[0];
            i = 1;
        }
        boolean help = command.equals("help");
        boolean version = command.equals("version");
        List<Setting> settings = new ArrayList<>();
        for (; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    help = true;
                    continue;
                }
                case "-V", "--version" -> {
                    version = true;
                    continue;
                }
                case "-v" -> {
                    settings.add(new Setting("verbose", "true", "-v"));
                    continue;
                }
                case "-q" -> {
                    settings.add(new Setting("quiet", "true", "-q"));
                    continue;
                }
                default -> {
                }
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                if (!settings.isEmpty() && settings.getLast().key().equals("header")) {
                    // --header X-Api-Key: s3cret (unquoted): the stray word is the secret.
                    throw new ConfigException("unexpected argument after --header (not shown, as it may be a secret);"
                            + " give a header as one argument: --header 'Name: value'");
                }
                throw new ConfigException("unexpected argument '" + arg + "' (options start with --; see --help)");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            String key = eq < 0 ? body : body.substring(0, eq);
            Optional<Option> option = Options.find(key);
            if (option.isEmpty()) {
                throw new ConfigException("unknown option --" + key
                        + Options.nearest(key).map(n -> " (did you mean --" + n + "?)").orElse(""));
            }
            Option o = option.get();
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (o.isSwitch()) {
                value = "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigException("--" + key + " needs a value (" + o.valueName() + ")");
            }
            settings.add(new Setting(o.key(), value, "--" + key));
        }
        return new CommandLine(command, List.copyOf(settings), help, version);
    }
}
