package dev.harvest.pipeline;

import dev.harvest.fetch.BodyBudget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The job's budget of body bytes in memory (bodies being received and waiting for the store),
 * so any mix of body sizes and concurrency fits the heap: a body that cannot have its bytes waits,
 * unread, until others give theirs back. Requests are served in order, bodies already started
 * before new ones (finishing a body frees memory sooner).
 *
 * <p>No deadlock: bodies being received can each hold part of the budget and all wait for more.
 * So when a started body cannot be served, nobody else is over the limit, and the overdraft is
 * free, that body takes the overdraft: it is served whatever the budget until it finishes
 * (--max-body still cuts it off). The next overdraft waits until the bytes in use are back within
 * the limit, so the bytes held never exceed the limit plus one body.
 */
final class InFlightBodies implements BodyBudget {
    private final long limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Request> started = new ArrayDeque<>();
    private final ArrayDeque<Request> fresh = new ArrayDeque<>();
    private long used;
    private Object overdraft;

    /** @param limit bytes the bodies may hold together (one body may go past it, see above) */
    InFlightBodies(long limit) {
        this.limit = limit;
    }

    private record Request(Object body, long bytes, boolean started, Runnable granted) {
    }

    @Override
    public boolean take(Object body, long bytes, boolean startedBody, Runnable granted) {
        lock.lock();
        try {
            if (body == overdraft
                    || started.isEmpty() && (startedBody || fresh.isEmpty()) && used + bytes <= limit) {
                used += bytes;
                return true;
            }
            if (startedBody && started.isEmpty() && overdraft == null && used <= limit) {
                overdraft = body;
                used += bytes;
                return true;
            }
            (startedBody ? started : fresh).add(new Request(body, bytes, startedBody, granted));
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void force(long bytes) {
        lock.lock();
        try {
            used += bytes;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void give(long bytes) {
        if (bytes == 0) {
            return;
        }
        List<Runnable> run;
        lock.lock();
        try {
            used -= bytes;
            run = grant();
        } finally {
            lock.unlock();
        }
        start(run);
    }

    @Override
    public void finished(Object body) {
        List<Runnable> run;
        lock.lock();
        try {
            if (overdraft == body) {
                overdraft = null;
            }
            drop(started, body);
            drop(fresh, body);
            run = grant();
        } finally {
            lock.unlock();
        }
        start(run);
    }

    /** Bytes held now (for tests and diagnostics). */
    long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    /** Serves queued requests in order while they fit; called with the lock held. */
    private List<Runnable> grant() {
        List<Runnable> run = List.of();
        while (true) {
            Request r = started.isEmpty() ? fresh.peek() : started.peek();
            if (r == null) {
                return run;
            }
            if (r.body() == overdraft || used + r.bytes() <= limit) {
                // served in order
            } else if (r.started() && overdraft == null && used <= limit) {
                overdraft = r.body();
            } else {
                return run;
            }
            (r.started() ? started : fresh).poll();
            used += r.bytes();
            if (run.isEmpty()) {
                run = new ArrayList<>(2);
            }
            run.add(r.granted());
        }
    }

    private static void drop(ArrayDeque<Request> queue, Object body) {
        if (queue.isEmpty()) {
            return;
        }
        for (Iterator<Request> it = queue.iterator(); it.hasNext(); ) {
            if (it.next().body() == body) {
                it.remove();
            }
        }
    }

    /**
     * Grants run on their own virtual threads, not the caller's: a grant asks the HTTP client for
     * more of a body, which can deliver it on the asking thread (the store thread, say).
     */
    private static void start(List<Runnable> run) {
        for (int i = 0; i < run.size(); i++) { // indexed: usually empty, and an iterator would be garbage
            Thread.ofVirtual().name("body-grant").start(run.get(i));
        }
    }
}
