package dev.harvest.report;

import java.util.Locale;

/**
 * {@code --max-failed}: how many failed IDs a completed run may have and still exit 0. Either a
 * count ({@code 20}) or a share of the IDs the run finished, ok plus failed ({@code 0.5%}), so the
 * few 404s real data has every night do not fail a Kubernetes Job or mail cron.
 *
 * @param count   the bound as a count, or -1 when it is a percentage
 * @param percent the bound as a percentage (0 to 100), or -1 when it is a count
 */
public record FailedBound(long count, double percent) {
    /** The default: any failed ID fails the run (exit 1). */
    public static final FailedBound NONE = new FailedBound(0, -1);

    /**
     * Parses {@code N} or {@code P%}.
     *
     * @throws IllegalArgumentException when it is neither (the caller names the setting)
     */
    public static FailedBound parse(String text) {
        String v = text.strip();
        try {
            if (v.endsWith("%")) {
                double p = Double.parseDouble(v.substring(0, v.length() - 1).strip());
                if (p >= 0 && p <= 100 && !v.substring(0, v.length() - 1).isBlank()
                        && v.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == '%' || c == ' ')) {
                    return new FailedBound(-1, p);
                }
            } else if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
                return new FailedBound(Long.parseLong(v), -1);
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new IllegalArgumentException("expected a count of failed IDs (N) or a share of the finished IDs"
                + " (P% from 0% to 100%)");
    }

    /** The most failed IDs a run that finished this many IDs (ok plus failed) may have and exit 0. */
    public long allowed(long finished) {
        // Rounded down: 1% of 150 allows one failure, not two.
        return count >= 0 ? count : (long) Math.floor(finished * percent / 100.0 + 1e-9);
    }

    /** Whether {@code failed} of {@code finished} IDs is within the bound. */
    public boolean allows(long failed, long finished) {
        return failed <= allowed(finished);
    }

    /** As the operator wrote it: {@code 20} or {@code 0.5%}. */
    @Override
    public String toString() {
        if (count >= 0) {
            return String.valueOf(count);
        }
        String p = String.format(Locale.ROOT, "%s", percent);
        return (p.endsWith(".0") ? p.substring(0, p.length() - 2) : p) + "%";
    }
}
