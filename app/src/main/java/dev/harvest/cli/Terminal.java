package dev.harvest.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Whether a live progress line can be redrawn: only on the process's own stderr, when that is a terminal. */
final class Terminal {
    private static final Path STDERR_LINK = Path.of("/proc/self/fd/2");

    private Terminal() {
    }

    /**
     * True when {@code err} is the real stderr, Java sees a terminal ({@link Console#isTerminal()},
     * which looks at stdin and stdout), stderr itself is a tty where Linux can tell, and TERM is not
     * {@code dumb}. Anything else (cron, a container, a pipe, tests) gets no carriage-return redraws.
     */
    static boolean isInteractive(PrintStream err, Map<String, String> env) {
        if (err != System.err || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            return false;
        }
        try {
            if (Files.isSymbolicLink(STDERR_LINK)) {
                String target = Files.readSymbolicLink(STDERR_LINK).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Not Linux, or /proc is hidden: the console's answer stands.
        }
        return true;
    }
}
