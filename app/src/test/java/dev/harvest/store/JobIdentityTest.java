package dev.harvest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.config.JobConfig;
import dev.harvest.config.Setting;
import dev.harvest.config.SettingsLoader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's keys and every hidden {@code .harvest-*} name come from {@link JobIdentity}. */
class JobIdentityTest {
    @TempDir
    Path dir;
    private Path out;
    private Path saveTo;

    @BeforeEach
    void setUp() throws Exception {
        out = Files.createDirectory(dir.resolve("out"));
        saveTo = Files.createDirectory(dir.resolve("files"));
        Files.writeString(dir.resolve("night1.csv"), "id,url\n1,http://h/1\n");
        Files.writeString(dir.resolve("night2.csv"), "id,url\n2,http://h/2\n");
    }

    private JobIdentity identity(String... flags) throws Exception {
        List<Setting> settings = new ArrayList<>();
        for (int i = 0; i < flags.length; i += 2) {
            settings.add(new Setting(flags[i].substring(2), flags[i + 1], flags[i]));
        }
        settings.add(new Setting("out", out.toString(), "--out"));
        JobConfig job = JobConfig.from(SettingsLoader.load(settings, Map.of()), Map.of());
        return JobIdentity.of(job.input(), job.request(), job.output());
    }

    @Test
    void tonightsInputUnderANewNameIsTheSameJobButNotTheSameRun() throws Exception {
        String url = "http://h/customers/{id}";
        JobIdentity night1 = identity("--input", dir.resolve("night1.csv").toString(), "--url", url);
        JobIdentity night2 = identity("--input", dir.resolve("night2.csv").toString(), "--url", url);

        assertEquals(night1.lockFile(out), night2.lockFile(out), "one lock: the runs must not overlap");
        assertEquals(night1.validatorsFile(out), night2.validatorsFile(out), "the validators carry over");
        assertNotEquals(night1.resume(), night2.resume(), "a resume continues only its own input's run");
        assertNotEquals(night1.lockFile(out), identity("--input", dir.resolve("night1.csv").toString(),
                "--url", "http://h/orders/{id}").lockFile(out), "another URL is another job");
    }

    @Test
    void everyHiddenNameIsNamedHereWithTheShardAndWithoutTheUrlsSecrets() throws Exception {
        JobIdentity id = identity("--input", dir.resolve("night1.csv").toString(), "--url-column", "url",
                "--save-to", saveTo.toString(), "--shard", "2/4");
        String suffix = id.shardSuffix();
        assertFalse(suffix.isEmpty());
        Path journal = JobIdentity.journal(out, "20261122-031500" + suffix);
        List<Path> names = List.of(id.lockFile(out), id.validatorsFile(out), journal,
                JobIdentity.replacement(journal), id.downloadTemp(saveTo));
        for (Path p : names) {
            assertTrue(p.getFileName().toString().startsWith(".harvest-"), p.toString());
        }
        assertEquals(out, id.validatorsFile(out).getParent());
        assertEquals(saveTo, id.downloadTemp(saveTo).getParent(), "beside the downloads, so the rename is atomic");
        assertTrue(id.validatorsFile(out).getFileName().toString().endsWith(suffix + ".validators.jsonl"));
        assertTrue(FileSystems.getDefault().getPathMatcher("glob:" + id.journalGlob()).matches(journal.getFileName()));
        assertFalse(FileSystems.getDefault().getPathMatcher("glob:" + id.journalGlob())
                .matches(JobIdentity.journal(out, "20261122-031500").getFileName()), "another shard's journal");
    }

    @Test
    void theUrlsSecretIsInNoName() throws Exception {
        JobIdentity id = identity("--input", dir.resolve("night1.csv").toString(),
                "--url", "http://h/c/{id}?token=SECRET123");
        for (String key : List.of(id.definition(), id.resume(), id.validators())) {
            assertTrue(key.matches("[0-9a-f]+"), key);
        }
        assertFalse(id.lockFile(out).toString().contains("SECRET123"));
    }
}
