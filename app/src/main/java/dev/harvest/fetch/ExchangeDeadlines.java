package dev.harvest.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces the whole-exchange deadline of every request in flight. On JDK 25 the request timeout
 * of {@code HttpClient} does not cover the response body (JDK-8208693), so one sweeper thread
 * interrupts any thread whose exchange is still running past its deadline, {@link #SWEEP_MILLIS} ms
 * late at most; {@code HttpClient.send} answers an interrupt by cancelling the exchange (which
 * closes its connection).
 *
 * <p>Why {@code send} and an interrupt, not {@code sendAsync} and a cancel: {@code sendAsync}
 * schedules every step of the exchange on the client's executor and completes its future through
 * the common pool, a hop per request that {@code send} does not make (about 0.3 CPU-s of the
 * common pool alone per 100,000 requests, measured). Why a sweeper and not a timed wait in each
 * thread: a timed wait threw an exception per late slice, and the client's own per-request timer
 * cost about 3% of CPU. Here a request costs a link into a list and an unlink, each under a lock
 * held for a few writes: about half of what a concurrent set's insert and removal cost, and the
 * sweep walks only the watched exchanges, not a hash table.
 */
final class ExchangeDeadlines implements AutoCloseable {
    static final long SWEEP_MILLIS = 50;

    /** One watched exchange: its thread and deadline, and whether the sweeper interrupted it. */
    static final class Watch {
        private final Thread thread;
        private final long deadlineNanos;
        private boolean fired;
        private boolean over;
        // Its place in the list of watched exchanges, under the list's lock; prev is null when not in it.
        private Watch prev;
        private Watch next;

        private Watch(Thread thread, long deadlineNanos) {
            this.thread = thread;
            this.deadlineNanos = deadlineNanos;
        }

        /** The sweeper's side: interrupts the thread once, unless its exchange is over. */
        private synchronized void fire() {
            if (!over && !fired) {
                fired = true;
                thread.interrupt();
            }
        }

        /**
         * The exchange's side, on its own thread, when the exchange has ended in any way: after
         * this no interrupt of the sweeper's can reach the thread, and one that did is cleared.
         *
         * @return whether the sweeper interrupted the exchange (its deadline passed)
         */
        synchronized boolean end() {
            over = true;
            if (fired) {
                // The sweeper's interrupt, delivered or still pending on this thread: clear it, it
                // must not stop the next blocking call (the hand-off to the store).
                Thread.interrupted();
            }
            return fired;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** The list's anchor: the watched exchanges form a ring through it. */
    private final Watch ring = new Watch(null, 0);
    private final Thread sweeper;
    private volatile boolean closed;

    ExchangeDeadlines() {
        ring.prev = ring;
        ring.next = ring;
        sweeper = Thread.ofPlatform().daemon().name("harvest-deadlines").start(this::sweep);
    }

    /** Watches the calling thread's exchange: it is interrupted if still running at {@code deadlineNanos}. */
    Watch watch(long deadlineNanos) {
        Watch w = new Watch(Thread.currentThread(), deadlineNanos);
        lock.lock();
        try {
            w.prev = ring.prev;
            w.next = ring;
            ring.prev.next = w;
            ring.prev = w;
        } finally {
            lock.unlock();
        }
        return w;
    }

    /** The exchange has ended: stop watching it; says whether its deadline interrupted it. */
    boolean forget(Watch w) {
        lock.lock();
        try {
            unlink(w);
        } finally {
            lock.unlock();
        }
        return w.end();
    }

    /** Takes a watch out of the list if it is in it; called with the lock held. */
    private static void unlink(Watch w) {
        if (w.prev != null) {
            w.prev.next = w.next;
            w.next.prev = w.prev;
            w.prev = null;
            w.next = null;
        }
    }

    private void sweep() {
        List<Watch> due = new ArrayList<>();
        while (!closed) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS));
            long now = System.nanoTime();
            lock.lock();
            try {
                for (Watch w = ring.next; w != ring; ) {
                    Watch next = w.next;
                    if (now - w.deadlineNanos >= 0) {
                        unlink(w);
                        due.add(w);
                    }
                    w = next;
                }
            } finally {
                lock.unlock();
            }
            // Outside the list's lock: interrupting a thread takes locks of its own.
            for (Watch w : due) {
                w.fire();
            }
            due.clear();
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(sweeper);
    }
}
