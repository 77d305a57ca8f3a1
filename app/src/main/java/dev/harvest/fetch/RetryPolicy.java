package dev.harvest.fetch;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to retry and how long to wait: exponential backoff with full jitter, or the server's
 * {@code Retry-After} when it gives one, never longer than {@code --max-retry-wait}.
 *
 * @param retries      retries allowed after the first attempt
 * @param backoff      the backoff base
 * @param maxRetryWait cap on one wait
 */
public record RetryPolicy(int retries, Duration backoff, Duration maxRetryWait) {

    /** The wait before retry number {@code retry} (1-based). */
    public Duration delay(int retry, Duration retryAfter) {
        long capMillis = maxRetryWait.toMillis();
        if (retryAfter != null) {
            return Duration.ofMillis(Math.min(Math.max(0, retryAfter.toMillis()), capMillis));
        }
        long ceiling = Math.min(capMillis, backoff.toMillis() << Math.min(retry - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /**
     * Parses a {@code Retry-After} value: delay seconds or an HTTP-date.
     *
     * @return the wait, or null when the header is absent or unreadable
     */
    public static Duration parseRetryAfter(String value, long nowMillis) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Duration.ofMillis(Math.max(0, at - nowMillis));
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
