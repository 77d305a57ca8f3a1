package dev.harvest.fetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.zip.GZIPInputStream;

/**
 * {@code --compressed}: a body sent with {@code Content-Encoding: gzip} is received compressed by a
 * {@link LimitedBodySubscriber} (so the compressed bytes are within --max-body and the job's
 * {@link BodyBudget}), then inflated a step at a time into a buffer that never grows past
 * --max-body: a gzip bomb stops at the limit as {@link BodyTooLargeException}, it is never inflated
 * whole. The inflated bytes are taken from the budget as they are made, and the compressed ones
 * given back once inflated. A corrupt stream fails the body with an {@link IOException} (reason
 * {@code network}: a garbled response).
 */
final class GzipBody implements HttpResponse.BodySubscriber<Body> {
    private static final int STEP = 64 * 1024;

    private final LimitedBodySubscriber compressed;
    private final CompletionStage<Body> result;
    /** The fetcher gave up (timeout, stop): an inflated body would have no one to give it back. */
    private volatile boolean discarded;

    private GzipBody(LimitedBodySubscriber compressed, long max, BodyBudget budget) {
        this.compressed = compressed;
        this.result = compressed.getBody().thenApply(body -> {
            try {
                if (discarded) {
                    ((Body.Bytes) body).release();
                    throw new IOException("discarded");
                }
                Body inflated = inflate(((Body.Bytes) body), max, budget);
                if (discarded && inflated instanceof Body.Bytes b) {
                    b.release(); // the fetcher gave up while it was inflated: nobody takes it
                }
                return inflated;
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * The decoder of {@code body} when the response says it is gzip, else null (other encodings
     * are kept as sent).
     */
    static GzipBody ifGzip(HttpResponse.ResponseInfo info, LimitedBodySubscriber body, long max, BodyBudget budget) {
        String encoding = info.headers().firstValue("content-encoding").orElse("").strip().toLowerCase(Locale.ROOT);
        return encoding.equals("gzip") || encoding.equals("x-gzip") ? new GzipBody(body, max, budget) : null;
    }

    private static Body inflate(Body.Bytes body, long max, BodyBudget budget) throws IOException {
        byte[] gz = body.take(); // still taken from the budget: given back below
        List<byte[]> chunks = new ArrayList<>();
        long len = 0;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), STEP)) {
            while (true) {
                byte[] chunk = new byte[STEP];
                budget.force(STEP);
                chunks.add(chunk);
                int at = 0;
                int n;
                while (at < STEP && (n = in.read(chunk, at, STEP - at)) > 0) {
                    at += n;
                }
                len += at;
                if (len > max) {
                    throw new BodyTooLargeException("gzip body inflates past --max-body " + max + " bytes");
                }
                if (at < STEP) {
                    break;
                }
            }
            byte[] all = new byte[(int) len];
            budget.force(len); // the joined copy, while the chunks are still held
            int at = 0;
            for (byte[] c : chunks) {
                int k = (int) Math.min(c.length, len - at);
                System.arraycopy(c, 0, all, at, k);
                at += k;
            }
            budget.give((long) chunks.size() * STEP);
            chunks.clear();
            return new Body.Bytes(all, budget);
        } catch (BodyTooLargeException e) {
            budget.give((long) chunks.size() * STEP);
            throw e;
        } catch (IOException e) {
            budget.give((long) chunks.size() * STEP);
            throw new IOException("corrupt gzip body (" + e.getMessage() + ")", e);
        } finally {
            budget.give(gz.length);
        }
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        compressed.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        compressed.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
        compressed.onError(throwable);
    }

    @Override
    public void onComplete() {
        compressed.onComplete();
    }

    /** The fetcher gave up on this body (timeout, stop): drop it, inflated or not. Idempotent. */
    void discard() {
        discarded = true;
        compressed.discard();
    }
}
