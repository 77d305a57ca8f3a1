package dev.harvest.pipeline;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * {@code --concurrency auto[:MAX]}: the {@link AdaptiveLimit}'s algorithm behind the
 * {@link ConcurrencyLimit} the flow composes. A 429/503 or a timeout is a drop (the algorithm
 * halves once a round), every other response a latency sample. Its moves are logged at INFO at
 * most once a progress interval, at DEBUG every time. Not thread-safe: the caller
 * ({@link FlowControl}) holds its lock.
 */
final class AutoLimit implements ConcurrencyLimit {
    private static final Logger LOG = LogManager.getLogger(AutoLimit.class);

    private final AdaptiveLimit adaptive;
    private final long infoSpacingNanos;
    private long lastInfo;

    /**
     * @param max         the MAX of auto:MAX
     * @param infoSpacing how often a move may be logged at INFO (the progress interval)
     * @param now         the clock's reading at the start
     * @param machineCpu  the share of this machine's CPU in use (0..1), NaN when unknown ({@link MachineCpu})
     * @param gcPauses    nanoseconds this JVM has been paused for garbage collection so far ({@link GcPauses})
     */
    AutoLimit(int max, Duration infoSpacing, long now, DoubleSupplier machineCpu, LongSupplier gcPauses) {
        this.adaptive = new AdaptiveLimit(AdaptiveLimit.INITIAL, max, now, machineCpu, gcPauses);
        this.infoSpacingNanos = FlowControl.nanos(infoSpacing);
        this.lastInfo = now - infoSpacingNanos;
    }

    @Override
    public int limit() {
        return adaptive.limit();
    }

    @Override
    public void succeeded(long latencyNanos, int inFlight, long now) {
        log(adaptive.sample(latencyNanos, false, inFlight, now), now);
    }

    @Override
    public void dropped(long latencyNanos, int inFlight, long now) {
        log(adaptive.sample(latencyNanos, true, inFlight, now), now);
    }

    @Override
    public void timedOut(long latencyNanos, int inFlight, long now) {
        log(adaptive.sample(latencyNanos, true, inFlight, now), now);
    }

    @Override
    public double latencyFloorMillis() {
        return adaptive.floorMillis();
    }

    private void log(AdaptiveLimit.Move move, long now) {
        if (move == null) {
            return;
        }
        if (now - lastInfo >= infoSpacingNanos) {
            lastInfo = now;
            LOG.info("concurrency limit {} -> {}: {}", move.from(), move.to(), move.why());
        } else {
            LOG.debug("concurrency limit {} -> {}: {}", move.from(), move.to(), move.why());
        }
    }
}
