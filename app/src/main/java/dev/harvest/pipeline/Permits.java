package dev.harvest.pipeline;

import dev.harvest.fetch.Gate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The concurrency slots: at most {@code limit} permits held at once. A lower limit takes effect
 * as held permits come back (no permit is revoked, none owed); a higher one at once. Each permit
 * is a token that knows whether it holds its slot, so giving a slot back twice is impossible and
 * the count of held permits ({@link #inUse}) says when one was never given back. Waits are in
 * slices that look at {@code closed}, so a closing job never waits for a slot.
 */
final class Permits {
    private static final long SLICE_MILLIS = 100;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    // Written under the lock; volatile so that reading them (per response, for progress) takes no lock.
    private volatile int limit;
    private volatile int inUse;

    /** @param limit slots at the start (at least 1) */
    Permits(int limit) {
        this.limit = Math.max(1, limit);
    }

    /** Sets the limit; permits held above a lower one stay held until they come back. */
    void resize(int newLimit) {
        if (Math.max(1, newLimit) == limit) {
            return; // the common case, once per response: nothing to do, no lock
        }
        lock.lock();
        try {
            if (newLimit > limit) {
                room.signalAll();
            }
            limit = Math.max(1, newLimit);
        } finally {
            lock.unlock();
        }
    }

    /** The limit now. */
    int limit() {
        return limit;
    }

    /** Permits held now: requests in flight, or about to be. */
    int inUse() {
        return inUse;
    }

    /** Waits for a slot; null when {@code closed} said so first. */
    Permit acquire(BooleanSupplier closed) throws InterruptedException {
        Permit p = new Permit();
        return take(closed) ? p : null;
    }

    private boolean take(BooleanSupplier closed) throws InterruptedException {
        lock.lock();
        try {
            while (inUse >= limit) {
                if (closed.getAsBoolean()) {
                    return false;
                }
                room.await(SLICE_MILLIS, TimeUnit.MILLISECONDS);
            }
            inUse++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void giveBack() {
        lock.lock();
        try {
            inUse--;
            room.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * One ID's slot, from its first attempt to its hand-over. It may lend the slot to other IDs while
     * it waits to retry and take one again after; {@link #release()} ends it, once.
     */
    final class Permit implements Gate.Permit {
        private enum State { HELD, LENT, RELEASED }

        private State state = State.HELD;

        /** Gives the slot to other IDs while this one waits (to retry). */
        synchronized void lend() {
            if (state != State.HELD) {
                throw new IllegalStateException("permit not held: " + state);
            }
            state = State.LENT;
            giveBack();
        }

        /** Takes a slot again after {@link #lend()}; false when {@code closed} said so first (the permit stays lent). */
        boolean takeBack(BooleanSupplier closed) throws InterruptedException {
            synchronized (this) {
                if (state != State.LENT) {
                    throw new IllegalStateException("permit not lent: " + state);
                }
            }
            if (!take(closed)) {
                return false;
            }
            synchronized (this) {
                state = State.HELD;
            }
            return true;
        }

        /** Ends the permit, giving back its slot if it holds one. Returns false when it had already ended. */
        synchronized boolean release() {
            State was = state;
            state = State.RELEASED;
            if (was == State.HELD) {
                giveBack();
            }
            return was != State.RELEASED;
        }

        @Override
        public synchronized boolean held() {
            return state == State.HELD;
        }
    }
}
