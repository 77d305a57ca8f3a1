package dev.harvest.fetch;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a body into one array but never more than a limit: a declared Content-Length over it
 * fails at once, and a body that grows past it is cancelled, so a hostile server cannot make
 * harvest buffer gigabytes. It completes with a {@link Body.Bytes} box and lets go of the array, so
 * nothing the client keeps after the exchange holds the body.
 */
final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<Body> {
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private final long max;
    private final long declared;
    private byte[] buf;
    private int len;
    private Flow.Subscription subscription;

    LimitedBodySubscriber(long max, long declared) {
        this.max = max;
        this.declared = declared;
        this.buf = new byte[declared >= 0 && declared <= max ? (int) declared : 1024];
    }

    /** A handler making one of these per response. */
    static HttpResponse.BodyHandler<Body> handler(long max) {
        return info -> new LimitedBodySubscriber(max,
                info.headers().firstValueAsLong("content-length").orElse(-1));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (declared > max) {
            s.cancel();
            result.completeExceptionally(new BodyTooLargeException(
                    "Content-Length " + declared + " is over --max-body " + max));
            return;
        }
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = b.remaining();
            if ((long) len + n > max) {
                subscription.cancel();
                buf = null;
                result.completeExceptionally(new BodyTooLargeException("body over --max-body " + max + " bytes"));
                return;
            }
            if (len + n > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(max, Math.max((long) buf.length * 2, (long) len + n)));
            }
            b.get(buf, len, n);
            len += n;
        }
    }

    @Override
    public void onError(Throwable t) {
        buf = null;
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        if (result.isDone()) {
            return;
        }
        byte[] body = len == buf.length ? buf : Arrays.copyOf(buf, len);
        buf = null;
        result.complete(new Body.Bytes(body));
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }
}
