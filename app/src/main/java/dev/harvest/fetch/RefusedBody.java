package dev.harvest.fetch;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body of a response harvest will not read, e.g. one with two different Content-Length
 * headers: the client would trust the first, and what follows the body it reads is a second
 * response smuggled into the connection. Cancelling closes that connection; the exchange fails
 * with an {@link IOException} (a retryable network failure).
 */
final class RefusedBody implements HttpResponse.BodySubscriber<Body> {
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private final String why;

    RefusedBody(String why) {
        this.why = why;
    }

    /**
     * A refusal when the response's Content-Length headers ({@code lengths}, all of them) declare
     * more than one length, or null when they are fine.
     */
    static RefusedBody ifConflicting(List<String> lengths) {
        if (lengths.size() < 2 || lengths.stream().map(String::strip).distinct().count() == 1) {
            return null;
        }
        return new RefusedBody("response with different Content-Length headers: " + String.join(", ", lengths));
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        s.cancel();
        result.completeExceptionally(new IOException(why));
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.completeExceptionally(new IOException(why));
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }
}
