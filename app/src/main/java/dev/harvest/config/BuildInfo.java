package dev.harvest.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What the build wrote into {@code harvest-version.properties}: the version from the pom and, when
 * the build knew them, the git commit and the build time. A value the build did not fill in (no
 * git, a plain IDE build) is {@code null}, never the raw {@code ${...}} placeholder.
 *
 * @param version the project version, or {@code "unknown"}
 * @param commit  the git commit (short hash, {@code -dirty} when the tree had changes), or null
 * @param built   the build time (ISO-8601 UTC), or null
 */
public record BuildInfo(String version, String commit, String built) {
    private static final String RESOURCE = "/harvest-version.properties";

    /** This build's information, read from the class path. */
    public static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource reads as an unknown build
        }
        return of(p);
    }

    /** The information in a {@code harvest-version.properties}. */
    static BuildInfo of(Properties p) {
        String version = known(p.getProperty("harvest.version"));
        return new BuildInfo(version == null ? "unknown" : version, known(p.getProperty("harvest.commit")),
                known(p.getProperty("harvest.built")));
    }

    private static String known(String value) {
        return value == null || value.isBlank() || value.contains("${") || value.equals("unknown") ? null : value.strip();
    }

    /**
     * The {@code --version} line: {@code harvest 0.1.0 (commit 80afac52c49f, built
     * 2026-12-01T22:15:00Z; Java 25+36-LTS)}, with {@code commit unknown} when the build had no git.
     */
    public String versionLine() {
        return "harvest " + version + " (commit " + (commit == null ? "unknown" : commit)
                + (built == null ? "" : ", built " + built) + "; Java " + Runtime.version() + ")";
    }

    /** The default {@code User-Agent} request header: {@code harvest/<version>}. */
    public String userAgent() {
        return "harvest/" + version;
    }
}
