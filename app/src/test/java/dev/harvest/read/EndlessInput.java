package dev.harvest.read;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** An input that never ends (like /dev/zero), and the check that a reader of it stays bounded and stops. */
final class EndlessInput extends InputStream {
    private final byte fill;
    private final AtomicLong served = new AtomicLong();

    /** Serves {@code fill} bytes forever, counting them. */
    EndlessInput(byte fill) {
        this.fill = fill;
    }

    @Override
    public int read() {
        served.incrementAndGet();
        return fill & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        served.addAndGet(len);
        Arrays.fill(b, off, off + len, fill);
        return len;
    }

    /** What a source does with the input: read one line (and close the source). */
    @FunctionalInterface
    interface Read {
        void run() throws Exception;
    }

    /**
     * Runs {@code read} on a virtual thread and asserts that it goes through 64 MiB of this input
     * (so in bounded memory: the test JVM's heap is smaller than what it reads), and that an
     * interrupt then ends it with an {@link java.io.InterruptedIOException}.
     */
    void assertReadIsBoundedAndAStopEndsIt(Read read, String through, String stopped) throws Exception {
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                read.run();
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (served.get() < 64L << 20 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(served.get() >= 64L << 20, through);
        reader.interrupt();
        reader.join(60_000);
        assertFalse(reader.isAlive(), stopped);
        assertInstanceOf(java.io.InterruptedIOException.class, ended.get());
    }
}
