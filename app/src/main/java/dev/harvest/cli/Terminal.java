package dev.harvest.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether the live progress line is drawn on stderr. It goes to stderr, so stderr alone decides:
 * stdout redirected to a file ({@code > out.jsonl}, {@code --results - | jq}) or input from a pipe
 * still shows it when stderr is a terminal. {@code --progress} / {@code --no-progress} force it.
 */
final class Terminal {
    private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

    private Terminal() {
    }

    /**
     * Whether to draw the live progress line on {@code err}.
     *
     * @param forced {@code --progress} (true), {@code --no-progress} (false), or null to decide here
     * @param quiet  {@code --quiet}
     */
    static boolean showsProgress(Boolean forced, boolean quiet, PrintStream err, Map<String, String> env) {
        if (forced != null) {
            return forced;
        }
        boolean real = err == System.err;
        return decide(null, quiet, real, env.get("TERM"), real ? stderrIsTty() : Boolean.FALSE, real && consoleIsTerminal());
    }

    /**
     * The decision, with what it looks at given (so it can be tested without a terminal).
     *
     * @param forced    {@code --progress} / {@code --no-progress}, or null
     * @param quiet     {@code --quiet}
     * @param realErr   whether the stream is the process's own stderr (not a test's or a wrapper's)
     * @param term      {@code $TERM}, or null
     * @param stderrTty whether fd 2 is a terminal, or null where the system cannot tell
     * @param console   Java's own answer ({@link Console#isTerminal()}: stdin and stdout), used only
     *                  where stderr cannot be checked
     */
    static boolean decide(Boolean forced, boolean quiet, boolean realErr, String term, Boolean stderrTty, boolean console) {
        if (forced != null) {
            return forced;
        }
        if (quiet || !realErr || "dumb".equals(term)) {
            return false;
        }
        return stderrTty != null ? stderrTty : console;
    }

    /** Whether fd 2 is a terminal, on Linux; null where /proc cannot tell. */
    private static Boolean stderrIsTty() {
        try {
            if (Files.isSymbolicLink(STDERR_LINK)) {
                String target = Files.readSymbolicLink(STDERR_LINK).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Not Linux, or /proc is hidden: Java's console decides.
        }
        return null;
    }

    private static boolean consoleIsTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }
}
