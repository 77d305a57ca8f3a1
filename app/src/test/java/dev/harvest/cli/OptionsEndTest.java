package dev.harvest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.Harvest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --} ends the options; harvest takes no operands, and one is a one-line usage error naming it. */
class OptionsEndTest {
    @TempDir
    Path dir;

    @Test
    void aDashWordAfterDoubleDashIsAnOperandNotAnOption() throws Exception {
        Path ids = Files.writeString(dir.resolve("ids.txt"), "1\n");
        Path out = Files.createDirectory(dir.resolve("out"));
        Harvest.Result r = Harvest.run("--input", ids.toString(), "--url", "http://127.0.0.1:9/{id}", "--out", out.toString(),
                "--", "-x");
        assertEquals(2, r.exitCode());
        assertEquals("harvest: error: unexpected argument '-x': harvest run takes options only (the IDs come from"
                + " --input FILE; see harvest help)\n", r.stderr());
        assertEquals(List.of(), Harvest.names(out));
        // The same word before -- is an unknown option, and a double-dashed one after -- is no option either.
        assertTrue(Harvest.run("-x").stderr().startsWith("harvest: error: unknown option -x"));
        assertTrue(Harvest.run("verify", "--", "--help").stderr()
                .startsWith("harvest: error: unexpected argument '--help': harvest verify takes options only"));
    }

    @Test
    void aStrayWordIsNamed() {
        Harvest.Result r = Harvest.run("--concurrency", "4", "ids.txt");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("harvest: error: unexpected argument 'ids.txt': "), r.stderr());
        assertEquals("", r.stdout());
    }

    @Test
    void doubleDashAloneChangesNothing() {
        Harvest.Result r = Harvest.run("--version", "--");
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().startsWith("harvest "));
    }

    @Test
    void aStrayWordAfterAnUnquotedHeaderIsNotShown() {
        Harvest.Result r = Harvest.run("--header", "X-Api-Key:", "s3cret");
        assertEquals(2, r.exitCode());
        assertTrue(r.stderr().startsWith("harvest: error: unexpected argument after --header (not shown"), r.stderr());
        assertTrue(!r.stderr().contains("s3cret"));
    }
}
