package dev.harvest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.harvest.Harvest;
import dev.harvest.config.Option;
import dev.harvest.config.Options;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The man page, the bash and zsh completions and docs/options.md, all generated from the option
 * catalogue: each covers every option, renders or loads cleanly in its tool, and the committed
 * docs/options.md is what the catalogue generates today.
 */
class GeneratedDocsTest {
    @TempDir
    Path dir;

    @Test
    void theManPageCoversEveryOptionAndRendersWithoutWarnings() throws Exception {
        String man = generated("help", "--man");
        assertTrue(man.startsWith(".\\\" Generated") && man.contains("\n.TH HARVEST 1 "), man.substring(0, 200));
        for (Option o : Options.all()) {
            assertTrue(man.contains("\n\\fB\\-\\-" + o.key().replace("-", "\\-") + "\\fR"), "--" + o.key() + " in the man page");
            assertTrue(man.contains(o.envName()), o.envName() + " in the man page");
        }
        for (String section : List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES")) {
            assertTrue(man.contains("\n.SH " + section + "\n"), section);
        }
        assumeTrue(onPath("man"), "man is not installed");
        Path page = Files.writeString(dir.resolve("harvest.1"), man);
        Proc p = exec(Map.of("MANWIDTH", "80"), "man", "--warnings", "-l", page.toString());
        assertEquals(0, p.code(), p.err());
        assertEquals("", p.err(), "man/groff warnings");
        assertTrue(p.out().contains("--concurrency N|auto[:MAX]") || p.out().contains("--concurrency N|auto[:MAX]".replace("-", "\u2010")),
                p.out().substring(0, Math.min(2000, p.out().length())));
    }

    @Test
    void bashCompletesEveryOptionFromItsCatalogue() throws Exception {
        assumeTrue(onPath("bash"), "bash is not installed");
        Path script = Files.writeString(dir.resolve("harvest.bash"), generated("completion", "bash"));
        assertEquals("--concurrency", complete(script, "harvest", "--concu"));
        assertEquals(List.of("--concurrency", "--conditional", "--config", "--connect-timeout"),
                List.of(complete(script, "harvest", "--con").split(" ")).stream().sorted().toList());
        assertEquals("jsonl csv", complete(script, "harvest", "--format", ""));
        assertEquals("error warn info debug trace", complete(script, "harvest", "-v", "--log-level", ""));
        assertEquals("run verify demo", complete(script, "harvest", "help", ""));
        assertEquals("verify version", complete(script, "harvest", "ve"));
        assertEquals("--serve", complete(script, "harvest", "demo", "--se"));
        assertEquals("", complete(script, "harvest", "run", "--se"), "--serve is the demo's");
        for (Option o : Options.all()) {
            List<String> got = List.of(complete(script, "harvest", "run", "--" + o.key()).split(" "));
            assertTrue(got.contains("--" + o.key()), "--" + o.key() + " completes: " + got);
        }
    }

    @Test
    void theZshCompletionNamesEveryOptionAndParses() throws Exception {
        String zsh = generated("completion", "zsh");
        assertTrue(zsh.startsWith("#compdef harvest\n"));
        for (Option o : Options.all()) {
            assertTrue(zsh.contains("'" + (o.repeatable() ? "*" : "") + "--" + o.key() + (o.isSwitch() ? "[" : "=[")),
                    "--" + o.key() + " in the zsh completion");
        }
        assumeTrue(onPath("zsh"), "zsh is not installed");
        Path script = Files.writeString(dir.resolve("_harvest"), zsh);
        Proc p = exec(Map.of(), "zsh", "-n", script.toString());
        assertEquals(0, p.code(), p.err());
    }

    @Test
    void docsOptionsMdIsWhatTheCatalogueGenerates() throws IOException {
        Path committed = Path.of("..", "docs", "options.md");
        String generated = generated("help", "--markdown");
        for (Option o : Options.all()) {
            assertTrue(generated.contains("| `--" + o.key()), "--" + o.key() + " in the options reference");
        }
        assertEquals(generated, Files.readString(committed, StandardCharsets.UTF_8),
                "docs/options.md is stale: regenerate it from the repository root with"
                        + " `jlink/build.sh && jlink/target/image/bin/harvest help --markdown > docs/options.md`");
    }

    private static String generated(String... args) {
        Harvest.Result r = Harvest.run(args);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
        return r.stdout();
    }

    /** What bash's completion function offers for the command line {@code words} (the last one being completed). */
    private String complete(Path script, String... words) throws Exception {
        StringBuilder cmd = new StringBuilder("source \"$1\"; COMP_WORDS=(");
        for (String w : words) {
            cmd.append(" '").append(w).append('\'');
        }
        cmd.append(" ); COMP_CWORD=").append(words.length - 1).append("; _harvest; echo \"${COMPREPLY[*]}\"");
        Proc p = exec(Map.of(), "bash", "--norc", "--noprofile", "-c", cmd.toString(), "bash", script.toString());
        assertEquals(0, p.code(), p.err());
        assertEquals("", p.err());
        return p.out().strip();
    }

    private record Proc(int code, String out, String err) {
    }

    private Proc exec(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command)));
        pb.environment().putAll(env);
        Path out = dir.resolve("proc.out");
        Path err = dir.resolve("proc.err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " finished");
        return new Proc(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
