package dev.harvest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.Harvest;
import org.junit.jupiter.api.Test;

/** {@code harvest --version}: the version, the commit and the build time the build recorded, and the Java runtime. */
class VersionTest {
    @Test
    void versionNamesTheCommitAndTheBuildTime() {
        for (String flag : new String[] {"--version", "-V"}) {
            Harvest.Result r = Harvest.run(flag);
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("", r.stderr());
            // A test build has no -Dharvest.commit: it says so rather than show a placeholder.
            assertTrue(r.stdout().matches("harvest \\d+\\.\\d+\\.\\d+\\S* \\(commit (unknown|[0-9a-f]{7,40}(-dirty)?),"
                    + " built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ; Java 25\\S*\\)\\R"), r.stdout());
        }
    }
}
