package dev.harvest.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.harvest.config.ConfigException;
import dev.harvest.store.Field;
import dev.harvest.store.OutputFormat;
import dev.harvest.store.OutputSettings;
import dev.harvest.store.StoreColumns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reads which IDs a run's outputs hold, the way the store stage wrote them. Results: JSON Lines
 * (the ID under {@code "id"}, or under the {@code {id}} field of {@code --fields}) or CSV (the
 * {@code {id}} column). With {@code --records} one response is several rows written together, so
 * consecutive rows of one ID are one block, and a block counts once. The failed file: its first
 * column.
 *
 * @param format    the results format
 * @param idField   the JSON key or CSV column holding the ID
 * @param columns   the CSV header expected, or null for JSON Lines
 * @param blocks    whether consecutive rows of one ID form one block (with {@code --records})
 */
record OutputIds(OutputFormat format, String idField, List<String> columns, boolean blocks) {
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();
    /**
     * Results rows hold what servers sent: numbers and strings of any length, and bodies nested up
     * to 1,000 deep (the store's limit) inside the row's own object.
     */
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxNumberLength(Integer.MAX_VALUE).maxStringLength(Integer.MAX_VALUE).maxNameLength(Integer.MAX_VALUE)
            .maxNestingDepth(1001).build()).build();

    /** Receives a problem found in a file: a malformed row, never an accounting difference. */
    interface Problems {
        void unreadable(String message);
    }

    /** How the job's results look; fails when the ID cannot be found in them. */
    static OutputIds of(OutputSettings job) throws ConfigException {
        switch (job.mode().kind()) {
            case DOWNLOAD -> {
                // One row per downloaded or unchanged file.
                return new OutputIds(job.format(), "id", job.format() == OutputFormat.CSV ? StoreColumns.download() : null,
                        false);
            }
            case FEED -> {
                // One row per item: a feed's items are one block; an empty or unchanged feed leaves none.
                return new OutputIds(job.format(), "feed_id", job.format() == OutputFormat.CSV ? StoreColumns.feed() : null,
                        true);
            }
            case JSON -> {
                // below
            }
        }
        List<Field> fields = job.projection().fields();
        boolean blocks = job.projection().records() != null;
        if (fields.isEmpty()) {
            return new OutputIds(job.format(), "id", null, blocks);
        }
        String id = fields.stream().filter(Field::isInputId).map(Field::name).findFirst()
                .orElseThrow(() -> new ConfigException("--fields has no name={id} column, so results rows cannot be"
                        + " matched to input IDs"));
        List<String> columns = job.format() == OutputFormat.CSV ? fields.stream().map(Field::name).toList() : null;
        return new OutputIds(job.format(), id, columns, blocks);
    }

    /** Calls {@code block} once per block of result rows with the block's ID. */
    void readResults(Path file, Consumer<String> block, Problems problems) throws IOException {
        BlockCounter counter = new BlockCounter(block, blocks);
        if (format == OutputFormat.CSV) {
            readCsvResults(file, counter, problems);
        } else {
            readJsonResults(file, counter, problems);
        }
    }

    private void readJsonResults(Path file, BlockCounter counter, Problems problems) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                String id;
                try {
                    id = jsonId(line);
                } catch (IOException e) {
                    problems.unreadable("results line " + number + ": not a JSON object ("
                            + firstLine(e.getMessage()) + ")");
                    counter.breakBlock();
                    continue;
                }
                if (id == null) {
                    problems.unreadable("results line " + number + ": no \"" + idField + "\" string");
                    counter.breakBlock();
                    continue;
                }
                counter.row(id);
            }
        }
    }

    /** The ID in one JSON Lines row; the whole row is parsed, so a truncated row is caught too. */
    private String jsonId(String line) throws IOException {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected '{'");
            }
            String id = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(idField) && value == JsonToken.VALUE_STRING) {
                    id = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IOException("unexpected data after the object");
            }
            return id;
        }
    }

    private void readCsvResults(Path file, BlockCounter counter, Problems problems) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(reader)) {
            if (!rows.hasNextValue()) {
                problems.unreadable("results: the file is empty (no header row)");
                return;
            }
            String[] header = rows.nextValue();
            if (!Arrays.asList(header).equals(columns)) {
                problems.unreadable("results: header is '" + String.join(",", header) + "', expected '"
                        + String.join(",", columns) + "' (give verify the run's --fields)");
                return;
            }
            int idIndex = columns.indexOf(idField);
            long number = 1;
            while (rows.hasNextValue()) {
                String[] row = rows.nextValue();
                number++;
                if (row.length != columns.size()) {
                    problems.unreadable("results row " + number + ": " + row.length + " columns, expected " + columns.size());
                    counter.breakBlock();
                    continue;
                }
                counter.row(row[idIndex]);
            }
        } catch (RuntimeException e) {
            // Jackson reports malformed CSV as an unchecked exception from the iterator.
            problems.unreadable("results: malformed CSV (" + firstLine(e.getMessage()) + ")");
        }
    }

    /** Calls {@code row} with the ID of every failed-file row. */
    static void readFailed(Path file, Consumer<String> row, Problems problems) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(reader)) {
            if (!rows.hasNextValue()) {
                problems.unreadable("failed file: empty (no header row)");
                return;
            }
            String[] header = rows.nextValue();
            if (header.length == 0 || !header[0].equals("id")) {
                problems.unreadable("failed file: header is '" + String.join(",", header) + "', expected 'id,reason,...'");
                return;
            }
            long number = 1;
            while (rows.hasNextValue()) {
                String[] r = rows.nextValue();
                number++;
                if (r.length < 2) {
                    problems.unreadable("failed file row " + number + ": " + r.length + " column(s)");
                    continue;
                }
                row.accept(r[0]);
            }
        } catch (RuntimeException e) {
            problems.unreadable("failed file: malformed CSV (" + firstLine(e.getMessage()) + ")");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Turns rows into blocks: with --records, a run of rows of one ID is one block. */
    private static final class BlockCounter {
        private final Consumer<String> block;
        private final boolean merge;
        private String last;

        BlockCounter(Consumer<String> block, boolean merge) {
            this.block = block;
            this.merge = merge;
        }

        void row(String id) {
            if (!merge || !Objects.equals(id, last)) {
                block.accept(id);
            }
            last = id;
        }

        void breakBlock() {
            last = null;
        }
    }
}
