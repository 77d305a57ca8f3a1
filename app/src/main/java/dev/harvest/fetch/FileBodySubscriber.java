package dev.harvest.fetch;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Streams a body to a new temporary file, never holding more than the client's current buffers:
 * one buffer list is requested at a time and written before the next, the SHA-256 is computed on
 * the way, and --max-body is enforced like {@link LimitedBodySubscriber} (a declared length over it
 * fails at once, a growing body is cut off at the limit). On any failure, or when the fetcher
 * gives up ({@link #discard()}), the temporary file is deleted.
 */
final class FileBodySubscriber implements HttpResponse.BodySubscriber<Body> {
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private final Path temp;
    private final long max;
    private final long declared;
    private final MessageDigest digest;
    private FileChannel channel;
    private Flow.Subscription subscription;
    private long size;
    private boolean discarded;

    FileBodySubscriber(Path temp, long max, long declared) {
        this.temp = temp;
        this.max = max;
        this.declared = declared;
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declared > max) {
            s.cancel();
            result.completeExceptionally(new BodyTooLargeException("Content-Length " + declared + " is over --max-body " + max));
            return;
        }
        try {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            s.cancel();
            result.completeExceptionally(new LocalWriteException("cannot create " + temp + ": " + e.getMessage(), e));
            return;
        }
        s.request(1);
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> items) {
        if (result.isDone() || discarded) {
            return;
        }
        try {
            for (ByteBuffer b : items) {
                if (size + b.remaining() > max) {
                    fail(new BodyTooLargeException("body over --max-body " + max + " bytes"));
                    return;
                }
                size += b.remaining();
                digest.update(b.duplicate());
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
        } catch (IOException e) {
            fail(new LocalWriteException("cannot write " + temp + ": " + e.getMessage(), e));
            return;
        }
        subscription.request(1);
    }

    @Override
    public synchronized void onError(Throwable t) {
        if (!result.isDone()) {
            cleanUp();
            result.completeExceptionally(t);
        }
    }

    @Override
    public synchronized void onComplete() {
        if (result.isDone() || discarded) {
            return;
        }
        try {
            // Synced before the store stage renames it: a checkpointed download survives a power loss.
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            cleanUp();
            result.completeExceptionally(new LocalWriteException("cannot write " + temp + ": " + e.getMessage(), e));
            return;
        }
        result.complete(new Body.Saved(temp, size, HexFormat.of().formatHex(digest.digest())));
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }

    /** The fetcher gave up on this body (timeout, stop): close and delete the file. Idempotent. */
    synchronized void discard() {
        discarded = true;
        if (subscription != null && !result.isDone()) {
            subscription.cancel();
        }
        cleanUp();
        result.completeExceptionally(new IOException("discarded"));
    }

    private void fail(IOException e) {
        subscription.cancel();
        cleanUp();
        result.completeExceptionally(e);
    }

    private void cleanUp() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // deleting it is what matters
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a leftover temporary file is removed by the next run of the job
        }
    }
}
