package dev.harvest.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.fetch.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log is one choke point: whatever a line or an exception says, the job's secrets never reach the file. */
class LogScrubTest {
    @TempDir
    Path dir;

    @Test
    void secretsInMessagesAndExceptionsAreScrubbedBeforeTheFile() throws Exception {
        Path log = dir.resolve("run.log");
        Logging.start(log, System.err, "debug", Secrets.of(List.of("tok-logged-secret-1")), problem -> { });
        try {
            Logger logger = LogManager.getLogger(LogScrubTest.class);
            logger.warn("id {}: server said {}", "C1", "Bearer tok-logged-secret-1 at https://h/c/C1?api_key=q-secret-2");
            logger.error("id C2: internal error", new IllegalStateException("wrapped",
                    new IllegalArgumentException("invalid header value: \"Bearer tok-logged-secret-1\"")));
            logger.info("nothing secret here");
        } finally {
            Logging.stop();
        }
        String text = Files.readString(log);
        assertFalse(text.contains("tok-logged-secret-1") || text.contains("q-secret-2"), text);
        assertTrue(text.contains("id C1: server said Bearer <redacted> at https://h/c/C1?…"), text);
        assertTrue(text.contains("java.lang.IllegalArgumentException: invalid header value: \"Bearer <redacted>\""), text);
        assertTrue(text.contains("at dev.harvest.cli.LogScrubTest"), "the stack trace is kept: " + text);
        assertTrue(text.contains("nothing secret here"), text);
    }
}
