package dev.harvest.cli;

import dev.harvest.config.ConfigException;
import dev.harvest.config.SettingsLoader;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.util.Map;
import org.apache.logging.log4j.LogManager;

/** The {@code harvest} command's entry point: dispatches to a subcommand and maps errors to exit codes. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // A thread harvest did not guard must not print a raw stack trace: it goes to the log.
        Thread.setDefaultUncaughtExceptionHandler((t, e) ->
                LogManager.getLogger(Main.class).error("uncaught in thread {}", t.getName(), e));
        int code = run(args, System.getenv(), System.in, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs harvest as the command line would, with the given streams and environment (tests call
     * this directly).
     *
     * @return the exit code
     */
    public static int run(String[] args, Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
        } catch (ConfigException e) {
            err.println("harvest: error: " + e.getMessage());
            return ExitCode.USAGE;
        }
        if (cli.command().equals(CommandLine.COMPLETION)) {
            out.print(Completion.script(cli.operands().getFirst()));
            return ExitCode.OK;
        }
        if (cli.help()) {
            out.print(cli.local().containsKey("man") ? ManPage.text()
                    : cli.local().containsKey("markdown") ? OptionsReference.text()
                    : Help.text(cli.helpTopic(), Wrap.forTerminal(env)));
            return ExitCode.OK;
        }
        if (cli.version()) {
            out.println(Help.version());
            return ExitCode.OK;
        }
        if (!cli.command().equals("demo")) { // the demo does not read HARVEST_* settings
            SettingsLoader.unknownVariables(env).forEach(w -> err.println("harvest: warning: " + w));
        }
        try {
            return switch (cli.command()) {
                case "run" -> new RunCommand(env, stdin, out, err).execute(cli.settings());
                case "demo" -> new DemoCommand(env, stdin, out, err).execute(cli.settings(), cli.local());
                case "verify" -> new VerifyCommand(env, stdin, out, err).execute(cli.settings());
                default -> {
                    err.println("harvest: error: '" + cli.command() + "' is not available in this build");
                    yield ExitCode.USAGE;
                }
            };
        } catch (ConfigException e) {
            err.println("harvest: error: " + e.getMessage());
            return ExitCode.USAGE;
        } catch (InvalidPathException e) {
            err.println("harvest: error: " + unusablePath(e));
            return ExitCode.USAGE;
        } catch (RuntimeException | Error e) {
            // A bug, not the operator's mistake: one line and exit 3 (a run's journal, if any, stays
            // for --resume). Its message may quote data, so only its type is shown; the log has the trace.
            LogManager.getLogger(Main.class).error("internal error", e);
            err.println("harvest: aborted: internal error (" + e.getClass().getName() + "); continue with --resume if a run had started");
            return ExitCode.ABORTED;
        }
    }

    /**
     * A path the file system cannot take, named as given. The usual cause is a non-ASCII name under
     * the C/POSIX locale (cron, env -i), where the JVM can only encode ASCII file names.
     */
    static String unusablePath(InvalidPathException e) {
        String charset = System.getProperty("sun.jnu.encoding", "");
        boolean asciiLocale = charset.equals("ANSI_X3.4-1968") || charset.equalsIgnoreCase("US-ASCII");
        return "'" + e.getInput() + "' cannot be a path: " + e.getReason()
                + (asciiLocale ? " (the locale's character set is ASCII; set LC_ALL=C.UTF-8, or use the harvest launcher)" : "");
    }
}
