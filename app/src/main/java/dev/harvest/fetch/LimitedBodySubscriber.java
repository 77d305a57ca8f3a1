package dev.harvest.fetch;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a body into one array, within the job's {@link BodyBudget} and never more than
 * --max-body: a declared Content-Length over the limit fails at once, and a body that grows past
 * it is cancelled, so a hostile server cannot make harvest buffer gigabytes.
 *
 * <p>Memory is taken from the budget before it is held, and the body is read only as far as the
 * budget allows: the subscription gets demand only once the bytes are granted, so a body waiting
 * for memory stays in the network (the HTTP client's own back-pressure). With a Content-Length the
 * whole array is taken up front and filled with one copy; without one (chunked, or HTTP/2 without
 * the header) the body is taken one read buffer at a time, kept as the arrays it came in, and
 * joined at the end (a single array needs no join).
 *
 * <p>It completes with a {@link Body.Bytes} box holding bytes still taken from the budget: whoever
 * takes them gives them back. It lets go of its arrays, so nothing the client keeps after the
 * exchange holds the body.
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<Body> {
    /** Bytes taken per read when the length is unknown: the client's read buffer, the most one read gives. */
    static final int STEP = 16 * 1024;

    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private final BodyBudget budget;
    private final long max;
    private final long declared;
    private Flow.Subscription subscription;
    /** The whole body's array, when the length is declared. */
    private byte[] buf;
    /** The arrays received so far, when it is not. */
    private List<byte[]> chunks;
    private long len;
    /** Bytes taken from the budget and not yet held in arrays (a granted read not yet arrived). */
    private long reserved;
    /** Bytes held in {@link #buf} or {@link #chunks}, all taken from the budget. */
    private long held;
    private boolean done;

    LimitedBodySubscriber(BodyBudget budget, long max, long declared) {
        this.budget = budget;
        this.max = max;
        this.declared = declared;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declared > max) {
            fail(new BodyTooLargeException("Content-Length " + declared + " is over --max-body " + max));
            return;
        }
        if (declared == 0) {
            buf = new byte[0];
            s.request(Long.MAX_VALUE);
            return;
        }
        long want = declared > 0 ? declared : STEP;
        if (budget.take(this, want, false, () -> granted(want))) {
            reserve(want);
        }
    }

    /** The budget granted bytes this body waited for (on a thread of the budget's). */
    private synchronized void granted(long bytes) {
        if (done) {
            budget.give(bytes); // gave up meanwhile
            return;
        }
        reserve(bytes);
    }

    /** Holds granted bytes and asks the client for what they cover. */
    private void reserve(long bytes) {
        if (declared > 0 && buf == null) {
            buf = new byte[(int) declared];
            held = declared;
            subscription.request(Long.MAX_VALUE);
        } else {
            reserved += bytes;
            subscription.request(1);
        }
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> items) {
        if (done) {
            return;
        }
        // Indexed loops: the client passes small lists, and an iterator per read is garbage.
        int count = items.size();
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += items.get(i).remaining();
        }
        if (len + n > max) {
            fail(new BodyTooLargeException("body over --max-body " + max + " bytes"));
            return;
        }
        if (declared >= 0) {
            if (len + n > declared) {
                fail(new IOException("body longer than its Content-Length " + declared));
                return;
            }
            for (int i = 0; i < count; i++) {
                ByteBuffer b = items.get(i);
                int k = b.remaining();
                b.get(buf, (int) len, k);
                len += k;
            }
            return;
        }
        if (n == 0) {
            subscription.request(1);
            return;
        }
        byte[] chunk = new byte[(int) n];
        int at = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer b = items.get(i);
            int k = b.remaining();
            b.get(chunk, at, k);
            at += k;
        }
        if (chunks == null) {
            chunks = new ArrayList<>();
        }
        chunks.add(chunk);
        len += n;
        held += n;
        if (n > reserved) {
            budget.force(n - reserved); // a read bigger than a step: already in memory
        } else {
            budget.give(reserved - n);
        }
        reserved = 0;
        if (budget.take(this, STEP, true, () -> granted(STEP))) {
            reserve(STEP);
        }
    }

    @Override
    public synchronized void onError(Throwable t) {
        if (!done) {
            fail(t);
        }
    }

    @Override
    public synchronized void onComplete() {
        if (done) {
            return;
        }
        byte[] body;
        if (declared >= 0) {
            if (len != declared) {
                fail(new IOException("body ended after " + len + " of its Content-Length " + declared + " bytes"));
                return;
            }
            body = buf;
        } else if (chunks == null) {
            body = new byte[0];
        } else if (chunks.size() == 1) {
            body = chunks.getFirst();
        } else {
            // Joined into one array for the store stage; both are held for the copy.
            budget.force(len);
            body = new byte[(int) len];
            int at = 0;
            for (byte[] c : chunks) {
                System.arraycopy(c, 0, body, at, c.length);
                at += c.length;
            }
            budget.give(held);
            held = len;
        }
        budget.give(reserved);
        reserved = 0;
        done = true;
        buf = null;
        chunks = null;
        budget.finished(this);
        result.complete(new Body.Bytes(body, budget));
    }

    /** The fetcher gave up on this body (timeout, stop): give its memory back. Idempotent. */
    synchronized void discard() {
        if (!done) {
            fail(new IOException("discarded"));
        }
    }

    /** Ends the body with an error: cancels the rest and gives all its memory back. */
    private void fail(Throwable t) {
        done = true;
        if (subscription != null) {
            subscription.cancel();
        }
        buf = null;
        chunks = null;
        budget.give(held + reserved);
        held = 0;
        reserved = 0;
        budget.finished(this);
        result.completeExceptionally(t);
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }
}
