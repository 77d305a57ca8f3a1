package dev.harvest.fetch;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces the whole-exchange deadline of every request in flight. On JDK 25 the request timeout
 * of {@code HttpClient} does not cover the response body (JDK-8208693), so one sweeper thread
 * cancels any exchange still running past its deadline, {@link #SWEEP_MILLIS} ms late at most.
 *
 * <p>Why a sweeper and not a timed wait in each fetching thread: at 1,000 requests in flight on a
 * busy machine, a timed {@code get} in short slices threw a {@code TimeoutException} (with its
 * stack trace) for every slice a response was late, about 3% of the run's allocations; and a
 * timer per request in the client cost another 3% of CPU. Here a request costs one map insert and
 * one removal, and a timeout costs one cancel.
 */
final class ExchangeDeadlines implements AutoCloseable {
    static final long SWEEP_MILLIS = 50;

    private final Map<CompletableFuture<?>, Long> deadlines = new ConcurrentHashMap<>();
    private final Thread sweeper;
    private volatile boolean closed;

    ExchangeDeadlines() {
        sweeper = Thread.ofPlatform().daemon().name("harvest-deadlines").start(this::sweep);
    }

    /** Cancels {@code exchange} if it is still running at {@code deadlineNanos} ({@link System#nanoTime()}). */
    void watch(CompletableFuture<?> exchange, long deadlineNanos) {
        deadlines.put(exchange, deadlineNanos);
    }

    /** The exchange has ended (or its waiter gave up): stop watching it. */
    void forget(CompletableFuture<?> exchange) {
        deadlines.remove(exchange);
    }

    private void sweep() {
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS));
            long now = System.nanoTime();
            deadlines.forEach((exchange, deadline) -> {
                if (now - deadline >= 0) {
                    // Cancelling the client's future aborts the exchange and closes its connection.
                    exchange.cancel(true);
                    deadlines.remove(exchange);
                }
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(sweeper);
    }
}
