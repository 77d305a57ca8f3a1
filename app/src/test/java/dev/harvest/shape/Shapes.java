package dev.harvest.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.harvest.Harvest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Helpers shared by the job-shape tests: CSV rows, summaries, SHA-256, and harvest verify. */
final class Shapes {
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Shapes() {
    }

    /** A CSV file's rows, header included. */
    static List<String[]> csv(Path file) {
        try (MappingIterator<String[]> it = CSV.readerFor(String[].class).readValues(file.toFile())) {
            return it.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSV file's rows without the header. */
    static List<String[]> rows(Path file) {
        List<String[]> all = csv(file);
        return all.subList(1, all.size());
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON Lines of a results file. */
    static List<JsonNode> jsonl(Path file) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Harvest.lines(file)) {
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code harvest verify} with the run's own flags plus its results and failed files and
     * asserts that every input line is accounted for exactly once.
     *
     * @return verify's last line
     */
    static String assertVerified(Path results, Path failed, List<String> runFlags) {
        List<String> args = new ArrayList<>(List.of("verify", "--results", results.toString(), "--failed", failed.toString()));
        // The run's own flags, minus those naming this run's files (verify gets them above).
        for (int i = 0; i < runFlags.size(); i++) {
            String f = runFlags.get(i);
            if (f.equals("--results") || f.equals("--failed")) {
                i++;
                continue;
            }
            args.add(f);
        }
        Harvest.Result v = Harvest.run(args.toArray(String[]::new));
        assertEquals(0, v.exitCode(), v.stdout() + v.stderr());
        List<String> lines = v.stdout().lines().toList();
        return lines.getLast();
    }

    static List<String> concat(List<String> a, String... b) {
        return Stream.concat(a.stream(), Stream.of(b)).toList();
    }
}
