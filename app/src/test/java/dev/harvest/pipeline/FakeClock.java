package dev.harvest.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Time as data for the flow policies' tests: it reads what the test set, and a sleep moves it on
 * at once (and runs the test's hook, which stands for what other threads do meanwhile).
 */
final class FakeClock implements NanoClock {
    private long now;
    private Runnable duringSleep = () -> { };
    private final List<Long> sleeps = new ArrayList<>();

    /** @param start the first reading (nanoTime may be anything, negative too) */
    FakeClock(long start) {
        this.now = start;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sleeps.add(nanos);
        now += nanos;
        duringSleep.run();
    }

    void advance(Duration d) {
        now += d.toNanos();
    }

    /** Runs {@code hook} after each sleep's time passed. */
    void duringSleep(Runnable hook) {
        this.duringSleep = hook;
    }

    /** Nanoseconds slept in all since the last call. */
    long slept() {
        long total = sleeps.stream().mapToLong(Long::longValue).sum();
        sleeps.clear();
        return total;
    }
}
