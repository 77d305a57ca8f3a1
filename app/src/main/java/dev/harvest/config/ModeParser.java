package dev.harvest.config;

import dev.harvest.fetch.FileNameTemplate;
import dev.harvest.fetch.JobMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Builds a job's {@link JobMode} from --url-column, --save-to, --file-name, --parse and --conditional. */
final class ModeParser {
    private ModeParser() {
    }

    /**
     * @param urlColumn the CSV column of each row's URL, or null
     * @param isRun     whether the job is run (the download directory must then exist), not verified
     */
    static JobMode parse(SettingReader r, String urlColumn, boolean isRun) throws ConfigException {
        String parse = r.get("parse").value().strip().toLowerCase(Locale.ROOT);
        JobMode.Kind kind = switch (parse) {
            case "json" -> JobMode.Kind.JSON;
            case "rss", "atom", "feed" -> JobMode.Kind.FEED;
            default -> throw Values.bad(r.get("parse"), "expected json or rss");
        };
        Path saveTo = r.path("save-to");
        if (saveTo != null) {
            if (kind == JobMode.Kind.FEED) {
                throw new ConfigException("--parse rss and --save-to are two jobs: parse feeds into rows, or save bodies as files");
            }
            kind = JobMode.Kind.DOWNLOAD;
            if (isRun && !Files.isDirectory(saveTo)) {
                throw new ConfigException("--save-to " + saveTo + ": no such directory");
            }
            if (isRun && !Files.isWritable(saveTo)) {
                throw new ConfigException("--save-to " + saveTo + ": not writable");
            }
        }
        String fileNameText = r.value("file-name");
        if (fileNameText != null && saveTo == null) {
            throw new ConfigException("--file-name names downloaded files; it needs --save-to DIR");
        }
        FileNameTemplate fileName;
        try {
            fileName = saveTo == null ? null
                    : fileNameText == null ? FileNameTemplate.urlName() : FileNameTemplate.parse(fileNameText);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        Setting c = r.get("conditional");
        boolean conditional = switch (c.value().strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> kind != JobMode.Kind.JSON;
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw Values.bad(c, "expected auto, true or false");
        };
        if (conditional && kind == JobMode.Kind.JSON) {
            throw new ConfigException("--conditional is for downloads (--save-to) and feeds (--parse rss): a JSON"
                    + " job writes every body, so a 304 would leave its ID without a row");
        }
        return new JobMode(kind, urlColumn, saveTo, fileName, conditional);
    }
}
