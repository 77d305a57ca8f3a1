package dev.harvest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.Harvest;
import dev.harvest.config.Option;
import dev.harvest.config.OptionGroup;
import dev.harvest.config.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --help} and the subcommands' help: grouped by topic, wrapped to the terminal, with examples. */
class HelpTest {
    @Test
    void everyOptionIsListedUnderItsTopicInTopicOrder() {
        String help = ok(Map.of(), "--help");
        int last = -1;
        for (OptionGroup group : OptionGroup.values()) {
            int heading = help.indexOf("\n" + group.title() + ":\n");
            assertTrue(heading > last, "heading '" + group.title() + "' after the previous one:\n" + help);
            last = heading;
        }
        for (Option o : Options.all()) {
            int at = help.indexOf("\n  --" + o.key() + (o.isSwitch() ? " " : " " + o.valueName()));
            assertTrue(at > 0, "--" + o.key() + " listed");
            String section = help.substring(help.lastIndexOf(":\n", at), at);
            int heading = help.lastIndexOf("\n\n", at);
            assertTrue(help.substring(heading).startsWith("\n\n" + o.group().title() + ":\n"),
                    "--" + o.key() + " under " + o.group().title() + ", not " + section);
        }
    }

    @Test
    void linesFitTheTerminalWidthAndNeverPass100() {
        for (var widths : List.of(List.of("", "80"), List.of("60", "60"), List.of("132", "100"), List.of("junk", "80"))) {
            Map<String, String> env = widths.get(0).isEmpty() ? Map.of() : Map.of("COLUMNS", widths.get(0));
            int max = Integer.parseInt(widths.get(1));
            for (String topic : List.of("--help", "help verify", "help demo")) {
                String help = ok(env, topic.split(" "));
                for (String line : help.lines().toList()) {
                    // Usage lines and example commands are not broken (they must stay pasteable); they fit 80 columns.
                    int limit = line.matches(" {2,4}harvest .*| {8}--.*") ? 80 : max;
                    assertTrue(line.length() <= Math.max(limit, max), "COLUMNS=" + env + " " + topic + ": '" + line + "'");
                }
            }
            if (max == 100) {
                assertTrue(ok(env, "--help").lines().anyMatch(l -> l.length() > 80), "a wide terminal gets wider lines");
            }
        }
    }

    @Test
    void endsWithThreeExamples() {
        String help = ok(Map.of(), "--help");
        String examples = help.substring(help.indexOf("\nExamples:\n"));
        assertEquals(3, examples.lines().filter(l -> l.startsWith("    harvest ")).count(), examples);
        assertTrue(help.indexOf("\nExit codes:\n") < help.indexOf("\nExamples:\n"));
    }

    @Test
    void helpCommandAndHelpFlagAgree() {
        String main = ok(Map.of(), "--help");
        assertEquals(main, ok(Map.of(), "help"));
        assertEquals(main, ok(Map.of(), "-h"));
        assertEquals(main, ok(Map.of(), "run", "--help"));
        String verify = ok(Map.of(), "help", "verify");
        assertEquals(verify, ok(Map.of(), "verify", "--help"));
        assertTrue(verify.startsWith("harvest verify:") && verify.contains("--results FILE") && verify.contains("--summary FILE"), verify);
        String demo = ok(Map.of(), "help", "demo");
        assertEquals(demo, ok(Map.of(), "demo", "--help"));
        assertTrue(demo.contains("--serve") && demo.contains("--port N") && demo.contains("harvest-demo"), demo);
    }

    @Test
    void anUnknownHelpTopicIsAUsageError() {
        Harvest.Result r = Harvest.run("help", "verfiy");
        assertEquals(2, r.exitCode());
        assertEquals("harvest: error: harvest help takes one of run, verify, demo; got 'verfiy'\n", r.stderr());
    }

    @Test
    void everyOptionHasATopicAndEveryTopicOptions() {
        List<OptionGroup> used = new ArrayList<>();
        for (Option o : Options.all()) {
            assertTrue(o.group() != null, o.key());
            used.add(o.group());
        }
        for (OptionGroup g : OptionGroup.values()) {
            assertTrue(used.contains(g), g + " has options");
        }
    }

    private static String ok(Map<String, String> env, String... args) {
        Harvest.Result r = Harvest.run(env, args);
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("", r.stderr());
        return r.stdout();
    }
}
