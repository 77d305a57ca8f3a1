package dev.harvest.pipeline;

import dev.harvest.config.ConfigException;
import dev.harvest.config.JobConfig;
import dev.harvest.config.Setting;
import dev.harvest.config.SettingsLoader;
import dev.harvest.fetch.BodyBudget;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Outcome;
import dev.harvest.fetch.Validators;
import dev.harvest.read.IdSource;
import dev.harvest.read.InputLine;
import dev.harvest.read.SkipReason;
import dev.harvest.report.RunStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Stand-ins for the pipeline's input, fetch stage and store: no HTTP server, no files. */
final class Fakes {
    private Fakes() {
    }

    /** A job with harvest's defaults and these flags ({@code "concurrency", "8", ...}); nothing is fetched from its URL. */
    static JobConfig job(String... keysAndValues) throws ConfigException {
        List<Setting> flags = new ArrayList<>(List.of(new Setting("input", "-", "test"),
                new Setting("url", "http://fake.invalid/c/{id}", "test")));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            flags.add(new Setting(keysAndValues[i], keysAndValues[i + 1], "test"));
        }
        return JobConfig.from(SettingsLoader.load(flags, Map.of()), Map.of());
    }

    /** A pipeline for {@code job} on fakes, with the default body budget. */
    static Pipeline pipeline(JobConfig job, IdSource source, FetchStage.Opener fetch, OutcomeSink sink, RunStats stats) {
        return new Pipeline(job.flow(), job.request(), source, fetch, sink, stats);
    }

    /** A pipeline for {@code job} on fakes, with a body budget of {@code bodyBudget} bytes. */
    static Pipeline pipeline(JobConfig job, IdSource source, FetchStage.Opener fetch, OutcomeSink sink, RunStats stats,
                             long bodyBudget) {
        return new Pipeline(job.flow(), job.request(), source, fetch, sink, stats, bodyBudget);
    }

    /** {@code ids} ID lines, numbered from 1, with a blank line every 97th and an invalid ID every 131st line. */
    static List<InputLine> lines(int ids) {
        List<InputLine> lines = new ArrayList<>();
        long n = 0;
        for (int i = 1; i <= ids; i++) {
            n++;
            if (n % 97 == 0) {
                lines.add(new InputLine.Skipped(n++, SkipReason.BLANK));
            }
            if (n % 131 == 0) {
                lines.add(new InputLine.Invalid(n++, "bad id", "contains a space"));
            }
            lines.add(new InputLine.Id(n, "C" + i));
        }
        return lines;
    }

    /** An input that hands out {@code lines}. */
    static IdSource source(List<InputLine> lines) {
        return new IdSource() {
            private long read;

            @Override
            public InputLine next() {
                return read < lines.size() ? lines.get((int) read++) : null;
            }

            @Override
            public long bytesRead() {
                return read;
            }

            @Override
            public long totalBytes() {
                return lines.size();
            }

            @Override
            public String header() {
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    /** A response with a body of {@code size} bytes, taken from {@code bodies} at once as the real fetcher's final copy is. */
    static FetchResult.Response response(BodyBudget bodies, int size) {
        bodies.force(size);
        return new FetchResult.Response(200, new byte[size], "application/json", Validators.NONE, 1,
                1_000_000);
    }

    /**
     * A store that counts each outcome as the real one does (ok, failed, unfinished) and records
     * how many times each line reached it; {@code fault} may throw instead of storing (return null to store).
     */
    static class RecordingSink implements OutcomeSink {
        final Map<Long, AtomicInteger> stored = new ConcurrentHashMap<>();
        final Map<Long, FetchResult> results = new ConcurrentHashMap<>();
        final AtomicInteger acceptCalls = new AtomicInteger();
        private final RunStats stats;
        private final Function<Outcome, Throwable> fault;

        RecordingSink(RunStats stats) {
            this(stats, o -> null);
        }

        RecordingSink(RunStats stats, Function<Outcome, Throwable> fault) {
            this.stats = stats;
            this.fault = fault;
        }

        @Override
        public boolean doneBefore(long line) {
            return false;
        }

        @Override
        public void accept(Outcome o) throws IOException {
            acceptCalls.incrementAndGet();
            switch (fault.apply(o)) {
                case null -> {
                }
                case IOException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                case Throwable t -> throw new AssertionError("unexpected fault", t);
            }
            switch (o.result()) {
                case FetchResult.Failure f -> stats.failed(f.reason(), f.latencyNanos());
                case FetchResult.Abandoned a -> stats.abandonedOne();
                case FetchResult r -> stats.ok(1, r.latencyNanos());
            }
            stored.computeIfAbsent(o.line(), k -> new AtomicInteger()).incrementAndGet();
            results.put(o.line(), o.result());
            stored(o);
        }

        /** Called after an outcome is stored. */
        void stored(Outcome o) {
        }

        @Override
        public void checkpointIfDue() {
        }

        /** How many times {@code line} reached the store. */
        int times(long line) {
            AtomicInteger n = stored.get(line);
            return n == null ? 0 : n.get();
        }
    }

    /** Every line read ended in exactly one count: ok, failed, skipped or unfinished. */
    static String books(RunStats stats) {
        return stats.linesRead() + " read = " + stats.ok() + " ok + " + stats.failedTotal() + " failed + "
                + stats.skippedTotal() + " skipped + " + stats.abandoned() + " unfinished";
    }

    static boolean balanced(RunStats stats) {
        return stats.linesRead() == stats.ok() + stats.failedTotal() + stats.skippedTotal() + stats.abandoned();
    }
}
