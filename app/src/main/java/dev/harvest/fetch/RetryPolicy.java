package dev.harvest.fetch;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to retry and how long to wait: exponential backoff with full jitter, or the server's
 * {@code Retry-After} when it gives one, never longer than {@code --max-retry-wait}. A throttled
 * answer (the server asking the job to come back later) counts as a fifth of a retry: a
 * rate-limited server is waited out, not given up on, yet one that throttles an ID forever still
 * ends it (after {@value #THROTTLES_PER_RETRY} × {@code --retries} + 1 throttled answers), and
 * {@code --retries 0} still means no retry at all. Every
 * computation saturates instead of overflowing: a {@code Retry-After} of 10^17 seconds, a date in
 * the year 9999 or a huge backoff all come out as {@code --max-retry-wait}.
 *
 * @param retries      retries allowed after the first attempt
 * @param backoff      the backoff base
 * @param maxRetryWait cap on one wait
 */
public record RetryPolicy(int retries, Duration backoff, Duration maxRetryWait) {
    /** Stands for a {@code Retry-After} too large to represent: it is clamped like any other. */
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);
    /** Throttled answers that count as one retry. */
    public static final int THROTTLES_PER_RETRY = 5;

    /**
     * Whether an ID's retries are used up.
     *
     * @param failures  its failed attempts that were not throttled answers
     * @param throttles its throttled answers (429, or 503 with {@code Retry-After})
     */
    public boolean usedUp(int failures, int throttles) {
        return (long) THROTTLES_PER_RETRY * failures + throttles > (long) THROTTLES_PER_RETRY * retries;
    }

    /** The wait before retry number {@code retry} (1-based), between zero and {@code --max-retry-wait}. */
    public Duration delay(int retry, Duration retryAfter) {
        if (retryAfter != null) {
            return clamp(retryAfter, maxRetryWait);
        }
        long capMillis = millis(maxRetryWait);
        long baseMillis = millis(backoff);
        int shift = Math.clamp(retry - 1L, 0, 62);
        long ceiling = baseMillis > capMillis >>> shift ? capMillis : Math.min(capMillis, baseMillis << shift);
        long jittered = ceiling == Long.MAX_VALUE ? ThreadLocalRandom.current().nextLong(ceiling)
                : ThreadLocalRandom.current().nextLong(ceiling + 1);
        return Duration.ofMillis(jittered);
    }

    /** {@code d} within zero and {@code cap}, without arithmetic (so nothing can overflow). */
    public static Duration clamp(Duration d, Duration cap) {
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(cap) > 0 ? cap : d;
    }

    private static long millis(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.compareTo(Duration.ofMillis(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : d.toMillis();
    }

    /**
     * Parses a {@code Retry-After} value: delay seconds or an HTTP-date. A number of seconds too
     * large for a {@code long} is "very long", to be clamped like the rest.
     *
     * @return the wait (never negative), or null when the header is absent or unreadable
     */
    public static Duration parseRetryAfter(String value, long nowMillis) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return FOREVER;
            }
        }
        try {
            long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return at <= nowMillis ? Duration.ZERO : Duration.ofMillis(at - nowMillis);
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }
}
