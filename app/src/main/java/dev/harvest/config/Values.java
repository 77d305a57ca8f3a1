package dev.harvest.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value kinds settings use; each failure names the setting and its origin. */
public final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");
    private static final Pattern RATE = Pattern.compile("\\d+(?:\\.\\d+)?");

    /** Highest CSV column number accepted for --id-column and --url-column. */
    static final int MAX_COLUMN = 1_000_000;

    private Values() {
    }

    static ConfigException bad(Setting s, String expected) {
        return new ConfigException(s.origin() + (s.origin().startsWith("--") ? "" : " (" + s.key() + ")")
                + ": " + expected + ", got '" + s.value() + "'");
    }

    static int intIn(Setting s, int min, int max) throws ConfigException {
        try {
            int v = Integer.parseInt(s.value().strip());
            if (v < min || v > max) {
                throw bad(s, "expected a whole number from " + min + " to " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(s, "expected a whole number from " + min + " to " + max);
        }
    }

    static double ratio(Setting s) throws ConfigException {
        try {
            double v = Double.parseDouble(s.value().strip());
            if (!(v >= 0 && v <= 1)) {
                throw bad(s, "expected a ratio from 0 to 1");
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(s, "expected a ratio from 0 to 1");
        }
    }

    static boolean bool(Setting s) throws ConfigException {
        return switch (s.value().strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad(s, "expected true or false");
        };
    }

    /** Longest duration any setting accepts: beyond it a value is a typo, and nanosecond clocks would overflow. */
    static final Duration MAX_DURATION = Duration.ofHours(24);

    /** A duration from 1 ms to {@link #MAX_DURATION}. */
    static Duration positive(Setting s) throws ConfigException {
        return duration(s, Duration.ofMillis(1), MAX_DURATION);
    }

    /**
     * {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}; a bare number is seconds. The value must lie
     * in {@code [min, max]} after rounding to whole milliseconds.
     */
    static Duration duration(Setting s, Duration min, Duration max) throws ConfigException {
        Matcher m = DURATION.matcher(s.value().strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw bad(s, "expected a duration like 250ms, 30s or 5m");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 1000;
        };
        // Compared as a double first: a huge value must not saturate to Long.MAX_VALUE and pass.
        if (!(millis <= max.toMillis()) || Math.round(millis) < min.toMillis()) {
            throw bad(s, "expected a duration from " + show(min) + " to " + show(max));
        }
        return Duration.ofMillis(Math.round(millis));
    }

    private static String show(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long ms = d.toMillis();
        return ms % 3_600_000 == 0 ? ms / 3_600_000 + "h" : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /**
     * {@code 16MiB}, {@code 512k}, {@code 1048576}; binary units. The value must lie in
     * {@code [1, max]}; {@code rangeText} says that range in the error message.
     */
    static long size(Setting s, long max, String rangeText) throws ConfigException {
        Matcher m = SIZE.matcher(s.value().strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw bad(s, "expected a size like 16MiB, 512KiB or 1048576");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        long v;
        try {
            v = Math.multiplyExact(Long.parseLong(m.group(1)), factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(s, "expected a size " + rangeText);
        }
        if (v < 1 || v > max) {
            throw bad(s, "expected a size " + rangeText);
        }
        return v;
    }

    /**
     * A number of requests per second: 0 (no limit) or from {@code min} to {@code max}. Tiny rates
     * are refused because their spacing would overflow a nanosecond clock.
     */
    static double rate(Setting s, double min, double max) throws ConfigException {
        String expected = "expected requests per second: 0 (no limit) or from " + plain(min) + " to "
                + plain(max);
        String text = s.value().strip();
        if (!RATE.matcher(text).matches()) {
            throw bad(s, expected);
        }
        double v = Double.parseDouble(text);
        if (v != 0 && !(v >= min && v <= max)) {
            throw bad(s, expected);
        }
        return v;
    }

    private static String plain(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /** A 1-based column number as text (all digits), from 1 to {@link #MAX_COLUMN}. */
    static int columnNumber(Setting s, String text) throws ConfigException {
        try {
            int v = Integer.parseInt(text);
            if (v >= 1 && v <= MAX_COLUMN) {
                return v;
            }
        } catch (NumberFormatException e) {
            // out of int range: the same message as any other out-of-range number
        }
        throw bad(s, "column numbers start at 1 and go up to " + MAX_COLUMN);
    }

    static <E extends Enum<E>> E choice(Setting s, Class<E> type, String... names) throws ConfigException {
        String v = s.value().strip().toLowerCase(Locale.ROOT);
        E[] constants = type.getEnumConstants();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(v)) {
                return constants[i];
            }
        }
        throw bad(s, "expected one of " + String.join(", ", names));
    }
}
