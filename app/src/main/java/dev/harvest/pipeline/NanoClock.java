package dev.harvest.pipeline;

import java.util.concurrent.TimeUnit;

/**
 * The flow policies' time: a monotonic reading in nanoseconds and a way to wait. Injected so that
 * tests drive time as data (a fake clock whose {@code sleep} just moves it on) instead of sleeping.
 * Readings may be negative, as {@link System#nanoTime()}'s are: compare differences only.
 */
interface NanoClock {
    /** {@link System#nanoTime()} and a real sleep. */
    NanoClock SYSTEM = new NanoClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };

    /** The clock's reading now. */
    long nanoTime();

    /** Waits about {@code nanos}; interruptible. */
    void sleep(long nanos) throws InterruptedException;
}
