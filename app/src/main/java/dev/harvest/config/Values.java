package dev.harvest.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the value kinds settings use; each failure names the setting and its origin. */
public final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?");

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

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
    static Duration duration(Setting s) throws ConfigException {
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
        return Duration.ofMillis(Math.round(millis));
    }

    /** {@code 16MiB}, {@code 512k}, {@code 1048576}; binary units. */
    static long size(Setting s) throws ConfigException {
        Matcher m = SIZE.matcher(s.value().strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw bad(s, "expected a size like 16MiB, 512KiB or 1048576");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        long v = n * factor;
        if (v <= 0) {
            throw bad(s, "expected a positive size");
        }
        return v;
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
