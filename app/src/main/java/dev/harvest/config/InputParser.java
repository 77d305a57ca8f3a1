package dev.harvest.config;

import dev.harvest.read.InputFormat;
import dev.harvest.read.InputSettings;
import dev.harvest.read.Shard;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Builds the {@link InputSettings} of a job: --input, its format and header, the ID and URL columns, the shard. */
final class InputParser {
    private InputParser() {
    }

    static InputSettings parse(SettingReader r, Map<String, String> env) throws ConfigException {
        Setting inputSetting = r.required("input", "--input FILE is required (the IDs to fetch; '-' for stdin)");
        Path input = inputSetting.value().equals("-") ? null : Path.of(inputSetting.value());
        InputFormat inputFormat = Values.choice(r.get("input-format"), InputFormat.class, "auto", "lines", "csv");
        if (inputFormat == InputFormat.AUTO) {
            boolean csv = input != null && input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
            inputFormat = csv ? InputFormat.CSV : InputFormat.LINES;
        }
        String idColumn = r.get("id-column").value().strip();
        if (idColumn.isEmpty()) {
            throw Values.bad(r.get("id-column"), "expected a column name or number");
        }
        if (idColumn.chars().allMatch(Character::isDigit)) {
            Values.columnNumber(r.get("id-column"), idColumn);
        }
        // A list of IDs has no header by convention (xargs, parallel, wget -i); a CSV file has one.
        boolean inputHeader = r.value("input-header") == null ? inputFormat == InputFormat.CSV
                : Values.bool(r.get("input-header"));
        if (inputFormat != InputFormat.CSV && !idColumn.equals("1")) {
            throw new ConfigException("--id-column needs CSV input (--input-format csv)");
        }
        if (!inputHeader && !idColumn.chars().allMatch(Character::isDigit)) {
            throw new ConfigException("--id-column " + idColumn + " names a column, but --input-header is false");
        }
        String urlColumn = urlColumn(r, inputFormat, inputHeader);
        return new InputSettings(input, inputFormat, inputHeader, idColumn,
                Values.intIn(r.get("max-id-length"), 1, 1 << 20), shard(r, env), Values.bool(r.get("only-retryable")),
                Values.bool(r.get("trim")), urlColumn);
    }

    private static String urlColumn(SettingReader r, InputFormat inputFormat, boolean inputHeader) throws ConfigException {
        String column = r.value("url-column");
        if (column == null) {
            return null;
        }
        boolean number = column.chars().allMatch(Character::isDigit);
        if (number) {
            Values.columnNumber(r.get("url-column"), column);
        }
        if (inputFormat != InputFormat.CSV && !column.equals("1")) {
            throw new ConfigException("--url-column " + column + " needs CSV input (--input-format csv); with one URL"
                    + " per line use --url-column 1");
        }
        if (!number && !inputHeader) {
            throw new ConfigException("--url-column " + column + " names a column, but --input-header is false");
        }
        return column;
    }

    private static Shard shard(SettingReader r, Map<String, String> env) throws ConfigException {
        String text = r.value("shard");
        String origin = "--shard";
        if (text == null && env.get("HARVEST_SHARDS") != null) {
            String index = env.get("JOB_COMPLETION_INDEX");
            if (index == null) {
                throw new ConfigException("HARVEST_SHARDS is set but JOB_COMPLETION_INDEX is not (give --shard K/N)");
            }
            text = index + "/" + env.get("HARVEST_SHARDS");
            origin = "JOB_COMPLETION_INDEX/HARVEST_SHARDS";
        }
        if (text == null) {
            return new Shard(0, 1);
        }
        String[] parts = text.strip().split("/");
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ConfigException(origin + ": expected K/N with 0 <= K < N, got '" + text + "'");
    }
}
