package dev.harvest.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens the configured input, checking it before any output exists. */
public final class IdSources {
    private IdSources() {
    }

    /**
     * Opens the job's input: a file, or standard input when {@code input} is null. Shard filtering
     * is applied here, so the rest of the pipeline sees only this shard's IDs as fetchable.
     *
     * @throws InputException when the file is missing, unreadable, a directory, or its header
     *                         does not have the configured ID column
     */
    public static IdSource open(InputSettings input, InputStream stdin) throws InputException {
        Path path = input.path();
        InputStream in;
        long size = -1;
        if (path == null) {
            in = stdin;
        } else {
            if (Files.isDirectory(path)) {
                throw new InputException("--input " + path + " is a directory, not a file");
            }
            try {
                in = Files.newInputStream(path);
                size = Files.size(path);
            } catch (NoSuchFileException e) {
                throw new InputException("--input " + path + ": no such file");
            } catch (AccessDeniedException e) {
                throw new InputException("--input " + path + ": permission denied");
            } catch (IOException e) {
                throw new InputException("--input " + path + ": cannot read it (" + e.getMessage() + ")");
            }
        }
        IdSource source;
        try {
            source = switch (input.format()) {
                case CSV -> new CsvIdSource(in, size, input.header(), input.trim(), input.idColumn(), input.urlColumn(),
                        input.maxIdLength(), input.onlyRetryable());
                case LINES, AUTO -> {
                    if (input.onlyRetryable()) {
                        throw new InputException("--only-retryable needs a CSV failed file as --input");
                    }
                    yield new LineIdSource(in, size, input.header(), input.trim(), input.maxIdLength(), input.perRowUrls());
                }
            };
        } catch (IOException e) {
            closeQuietly(in);
            throw new InputException("--input " + (path == null ? "-" : path) + ": cannot read it (" + e.getMessage() + ")");
        } catch (InputException e) {
            closeQuietly(in);
            throw e;
        }
        return input.shard().count() == 1 ? source : new ShardFilter(source, input.shard());
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Already failing with a clearer error.
        }
    }

    /** Turns other shards' IDs into skipped lines. */
    private record ShardFilter(IdSource source, Shard shard) implements IdSource {
        @Override
        public InputLine next() throws IOException {
            InputLine line = source.next();
            if (line instanceof InputLine.Id id && !shard.owns(id.id())
                    || line instanceof InputLine.Invalid bad && !shard.owns(bad.id())) {
                return new InputLine.Skipped(line.number(), SkipReason.OTHER_SHARD);
            }
            return line;
        }

        @Override
        public long bytesRead() {
            return source.bytesRead();
        }

        @Override
        public long totalBytes() {
            return source.totalBytes();
        }

        @Override
        public String header() {
            return source.header();
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }
}
