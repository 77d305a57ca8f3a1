package dev.harvest.cli;

import dev.harvest.config.ConfigException;
import dev.harvest.config.JobConfig;
import dev.harvest.config.Setting;
import dev.harvest.config.SettingsLoader;
import dev.harvest.read.IdSource;
import dev.harvest.read.IdSources;
import dev.harvest.read.InputException;
import dev.harvest.read.InputLine;
import dev.harvest.store.OutputFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code harvest verify}: proves a run's accounting from its files alone. Every input line must be
 * in exactly one place: the results (one block of rows per ID), the failed file (one row), or
 * skipped (header, blank, another shard, not retryable: recomputed from the input with the run's
 * own settings). Prints one line per difference (at most {@value #MAX_SHOWN}, then a count) and a
 * final tally. Exit 0 when the files account for every line exactly once, 1 when not, 2 for usage
 * errors.
 */
final class VerifyCommand {
    static final int MAX_SHOWN = 20;

    private final Map<String, String> env;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;

    VerifyCommand(Map<String, String> env, InputStream stdin, PrintStream out, PrintStream err) {
        this.env = env;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    int execute(List<Setting> flags) throws ConfigException {
        Map<String, List<Setting>> settings = SettingsLoader.load(flags, env);
        JobConfig job = JobConfig.forVerify(settings, env);
        Path results = required(job.output().resultsFile(), "--results FILE (the run's results file)");
        Path failed = required(job.output().failedFile(), "--failed FILE (the run's failed file)");
        List<Setting> summaryFlag = settings.getOrDefault("summary", List.of());
        RunSummary givenSummary = summaryFlag.isEmpty() || summaryFlag.getLast().value().isBlank() ? null
                : RunSummary.read(Path.of(summaryFlag.getLast().value().strip()));
        OutputIds layout = OutputIds.of(job.output());
        String name = results.getFileName().toString();
        if (name.endsWith(".csv") != (job.output().format() == OutputFormat.CSV) && (name.endsWith(".csv") || name.endsWith(".jsonl"))) {
            throw new ConfigException("--results " + results + " does not look like --format " + job.output().format().extension()
                    + " (give verify the run's own --format, --records and --fields)");
        }

        IdTally tally = new IdTally();
        try (IdSource source = IdSources.open(job.input(), stdin)) {
            InputLine line;
            while ((line = source.next()) != null) {
                tally.input(line);
            }
        } catch (IOException e) {
            throw new ConfigException("--input: cannot read it (" + e.getMessage() + ")");
        } catch (InputException e) {
            throw new ConfigException(e.getMessage());
        }
        List<String> unreadable = new ArrayList<>();
        try {
            layout.readResults(results, tally::result, unreadable::add);
        } catch (IOException e) {
            throw new ConfigException("--results " + results + ": cannot read it (" + e.getMessage() + ")");
        }
        try {
            OutputIds.readFailed(failed, tally::failed, unreadable::add);
        } catch (IOException e) {
            throw new ConfigException("--failed " + failed + ": cannot read it (" + e.getMessage() + ")");
        }
        return report(tally, unreadable, layout.blocks(), results, givenSummary);
    }

    private static Path required(Path p, String what) throws ConfigException {
        if (p == null) {
            throw new ConfigException("verify needs " + what);
        }
        if (!Files.isRegularFile(p)) {
            throw new ConfigException(p + ": no such file");
        }
        return p;
    }

    private int report(IdTally tally, List<String> unreadable, boolean blocks, Path results, RunSummary givenSummary) {
        Listing problems = new Listing();
        unreadable.forEach(problems::add);
        Listing noRows = new Listing();
        List<String> notes = new ArrayList<>();
        long inResults = 0;
        long inFailed = 0;
        long missing = 0;
        long duplicated = 0;
        long unexpected = 0;
        for (Map.Entry<String, IdTally.Count> e : tally.ids().entrySet()) {
            String id = e.getKey();
            IdTally.Count c = e.getValue();
            if (c.expected == 0) {
                unexpected += c.results + c.failed;
                problems.add("unexpected: " + show(id) + where(c) + ", but it is not an ID of this input (or shard)");
                continue;
            }
            long r = Math.min(c.expected, c.results);
            long f = Math.min(c.expected - r, c.failed);
            long lacking = c.expected - r - f;
            long extra = c.results - r + c.failed - f;
            inResults += r;
            inFailed += f;
            if (extra > 0) {
                duplicated += extra;
                problems.add("duplicated: " + show(id) + where(c) + ", expected " + times(c.expected) + " in all");
            }
            if (lacking == 0) {
                continue;
            }
            String line = "missing: " + show(id) + " (input line " + c.firstLine
                    + (lacking > 1 ? ", " + times(lacking) : "") + ")";
            if (blocks && c.results > 0) {
                // Copies of a repeated ID stored back to back read as one block: not provably missing.
                inResults += lacking;
                notes.add("note: " + show(id) + " is on " + c.expected + " input lines but" + where(c)
                        + " (copies stored back to back read as one block of rows)");
            } else if (blocks) {
                // With --records, an ID whose array was empty leaves no row: only the summary can vouch for it.
                noRows.add(line, lacking);
            } else {
                missing += lacking;
                problems.add(line, lacking);
            }
        }
        if (noRows.total > 0) {
            Optional<RunSummary> summary = givenSummary != null ? Optional.of(givenSummary) : RunSummary.find(results);
            if (summary.isPresent() && summary.get().finished() && noRows.total <= summary.get().okWithoutRecords()) {
                inResults += noRows.total;
                notes.add(String.format(Locale.ROOT, "note: %d ID(s) have no rows in the results; %s counts %d ok"
                        + " without records (an empty --records array, or an empty or unchanged feed), so they are accounted for",
                        noRows.total, summary.get().file(), summary.get().okWithoutRecords()));
            } else {
                missing += noRows.total;
                problems.addAll(noRows);
                notes.add(summary.isEmpty()
                        ? "note: no summary file of this run found beside the results (give --summary FILE), so IDs"
                                + " with an empty --records array (or an empty or unchanged feed) cannot be told from lost ones"
                        : !summary.get().finished()
                                ? "note: " + summary.get().file() + " says the run is still going"
                                : "note: " + summary.get().file() + " counts only " + summary.get().okWithoutRecords()
                                        + " ok without records");
            }
        }
        problems.lines.forEach(out::println);
        if (problems.total > problems.lines.size()) {
            out.println("... and " + (problems.total - problems.lines.size()) + " more");
        }
        notes.forEach(out::println);
        StringBuilder last = new StringBuilder(String.format(Locale.ROOT,
                "verify: %d lines: %d in results, %d in failed, %d skipped; %d missing, %d duplicated",
                tally.lines(), inResults, inFailed, tally.skipped(), missing, duplicated));
        if (unexpected > 0) {
            last.append(", ").append(unexpected).append(" unexpected");
        }
        if (!unreadable.isEmpty()) {
            last.append(", ").append(unreadable.size()).append(" unreadable");
        }
        out.println(last);
        return missing + duplicated + unexpected + unreadable.size() == 0 ? ExitCode.OK : ExitCode.SOME_FAILED;
    }

    /** Problem lines: the first {@value #MAX_SHOWN} kept for printing, all counted. */
    private static final class Listing {
        final List<String> lines = new ArrayList<>();
        long total;

        void add(String line) {
            add(line, 1);
        }

        /** One line standing for {@code count} problems (an ID missing several times). */
        void add(String line, long count) {
            if (lines.size() < MAX_SHOWN) {
                lines.add(line);
            }
            total += count;
        }

        void addAll(Listing other) {
            other.lines.forEach(l -> {
                if (lines.size() < MAX_SHOWN) {
                    lines.add(l);
                }
            });
            total += other.total;
        }
    }

    private static String where(IdTally.Count c) {
        List<String> parts = new ArrayList<>();
        if (c.results > 0) {
            parts.add(times(c.results) + " in results");
        }
        if (c.failed > 0) {
            parts.add(times(c.failed) + " in failed");
        }
        return " " + String.join(" and ", parts);
    }

    private static String times(long n) {
        return n == 1 ? "once" : n + " times";
    }

    /** IDs are shown quoted only when they need it, so a blank or odd ID is visible. */
    private static String show(String id) {
        boolean plain = !id.isEmpty() && id.chars().allMatch(ch -> ch > ' ' && ch < 127 && ch != '"');
        return plain ? id : '"' + id.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
