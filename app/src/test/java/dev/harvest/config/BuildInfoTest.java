package dev.harvest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What the version line says for what the build did or did not fill in. */
class BuildInfoTest {
    private static BuildInfo of(String version, String commit, String built) {
        Properties p = new Properties();
        p.setProperty("harvest.version", version);
        p.setProperty("harvest.commit", commit);
        p.setProperty("harvest.built", built);
        return BuildInfo.of(p);
    }

    @Test
    void aBuildWithGitNamesItsCommit() {
        BuildInfo b = of("1.2.3", "80afac52c49f", "2026-12-01T22:15:00Z");
        assertTrue(b.versionLine().startsWith("harvest 1.2.3 (commit 80afac52c49f, built 2026-12-01T22:15:00Z; Java "),
                b.versionLine());
        assertEquals("harvest/1.2.3", b.userAgent());
    }

    @Test
    void placeholdersTheBuildLeftAreUnknownNotShown() {
        BuildInfo b = of("${project.version}", "${harvest.commit}", "${harvest.built}");
        assertTrue(b.versionLine().startsWith("harvest unknown (commit unknown; Java "), b.versionLine());
        assertTrue(BuildInfo.of(new Properties()).versionLine().startsWith("harvest unknown (commit unknown; Java "));
    }
}
