package dev.harvest.pipeline;

import java.util.concurrent.Semaphore;

/** A fair-enough semaphore whose permit count can shrink; shrinking may leave it negative for a while. */
final class ResizableSemaphore extends Semaphore {
    private static final long serialVersionUID = 1L;

    ResizableSemaphore(int permits) {
        super(permits);
    }

    void shrink(int by) {
        reducePermits(by);
    }
}
