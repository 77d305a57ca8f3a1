package dev.harvest.pipeline;

import dev.harvest.read.IdSource;
import dev.harvest.read.InputLine;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Reads the input on a thread of its own, a little ahead of the owner. A read can block for good
 * (standard input nobody writes to) or never reach a line end ({@code /dev/zero}), and neither
 * observes an interrupt; the owner only waits here in slices, so a stop always gets through, and
 * a read still stuck at the end is abandoned with its daemon thread.
 */
final class InputReader implements AutoCloseable {
    private static final int AHEAD = 1024;

    /** What the reading thread hands over. */
    private sealed interface Item {
    }

    private record Line(InputLine line, long bytesRead) implements Item {
    }

    private record End() implements Item {
    }

    private record Failed(IOException error) implements Item {
    }

    private record Crashed(Throwable error) implements Item {
    }

    private final IdSource source;
    private final BlockingQueue<Item> ahead = new ArrayBlockingQueue<>(AHEAD);
    /** Owner only: items taken from {@link #ahead} in one go (one wake-up of the reader per batch, not per line). */
    private final ArrayDeque<Item> taken = new ArrayDeque<>();
    private final Thread thread;
    private volatile boolean closed;
    private long bytesRead;
    private boolean ended;

    InputReader(IdSource source) {
        this.source = source;
        this.thread = Thread.ofPlatform().daemon().name("input").start(this::readAll);
    }

    private void readAll() {
        Item last;
        try {
            InputLine line;
            while (!closed && (line = source.next()) != null) {
                if (!handOver(new Line(line, source.bytesRead()))) {
                    return;
                }
            }
            last = new End();
        } catch (IOException e) {
            last = closed ? new End() : new Failed(e);
        } catch (InterruptedException e) {
            return; // closed
        } catch (RuntimeException | Error e) {
            last = new Crashed(e);
        }
        try {
            handOver(last);
        } catch (InterruptedException e) {
            // closed
        }
    }

    private boolean handOver(Item item) throws InterruptedException {
        while (!closed) {
            if (ahead.offer(item, 100, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Owner: the next line, or null at the end of the input or as soon as {@code stop} says so.
     *
     * @throws IOException          when the input cannot be read
     * @throws IllegalStateException when reading failed unexpectedly (its cause says how)
     */
    InputLine next(BooleanSupplier stop) throws IOException, InterruptedException {
        if (ended) {
            return null;
        }
        if (taken.isEmpty()) {
            Item first;
            while ((first = ahead.poll(100, TimeUnit.MILLISECONDS)) == null) {
                if (stop.getAsBoolean()) {
                    return null;
                }
            }
            taken.add(first);
            ahead.drainTo(taken, AHEAD);
        }
        switch (taken.poll()) {
            case Line l -> {
                bytesRead = l.bytesRead();
                return l.line();
            }
            case End e -> {
                ended = true;
                return null;
            }
            case Failed f -> {
                ended = true;
                throw f.error();
            }
            case Crashed c -> {
                ended = true;
                throw new IllegalStateException("reading the input failed", c.error());
            }
        }
    }

    /** Owner: the input's byte offset after the last line {@link #next} returned. */
    long bytesRead() {
        return bytesRead;
    }

    /**
     * Stops reading. A read in progress on an interruptible channel (a file) ends at once; one that
     * cannot be interrupted (standard input) ends when the caller closes the source or the process exits.
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
