package dev.harvest.pipeline;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The concurrency limit of {@code --concurrency auto[:MAX]}: finds how many requests the server
 * serves at once without queueing them, and stays just above that (a Vegas/gradient-style limiter,
 * as in Netflix concurrency-limits or Envoy's adaptive concurrency).
 *
 * <p>Responses are judged in rounds of {@code limit} samples (one round trip's worth; at least
 * {@value #MIN_ROUND}), and after a decrease the responses of requests started before it are
 * left out (they tell of the old limit). A round's latency is its median; the floor is the lowest
 * round median of the last {@value #FLOOR_WINDOW_SECONDS} s: what a request costs when nothing
 * waits in the server. Then, at the end of each round:
 * <ul>
 *   <li>a round with a drop (429, 503, timeout) halves the limit;</li>
 *   <li>latency above {@value #SHRINK_TOLERANCE} × floor means requests queue in the server: with
 *       a queue, latency grows in proportion to the requests in flight, so {@code limit × floor /
 *       latency} is what the server serves at once, and the limit goes to {@value #HEADROOM} times
 *       that (never below half in one step);</li>
 *   <li>latency within {@value #GROW_TOLERANCE} × floor grows the limit by a
 *       {@value #GROWTH}-th (at least 1), but only when the round used at least half the limit:
 *       a job held back by --rate, the pacer or its input proves nothing about the server;</li>
 *   <li>in between, the limit holds: the gap keeps it from see-sawing.</li>
 * </ul>
 * A limit that sits above the knee keeps latency above the floor, and the floor's window would
 * forget the true floor and drift up; so when no round came near the floor for half the window,
 * the limit is halved once (a probe) to let the server's queue drain and the floor be measured again.
 *
 * <p>Latency only tells of the server's queue while this machine has CPU to spare. When its CPUs
 * are all busy (at least {@value #CPU_BUSY} of them, read at most four times a second; busy until the
 * share falls below {@value #CPU_IDLE}, so one quiet second does not hand a limit raised on busy
 * CPUs to the latency rule, which would cut it by the whole of harvest's own wait), responses wait
 * for harvest's own threads, and latency rises with the limit whatever the server does: on the
 * bench nginx without a knee, the latency rule held the limit near 400 and the job at 76% of the
 * throughput of a fixed 1000. So while the CPUs are busy the latency rule is set aside: the limit
 * grows as near the floor (a server that is overrun still says so with 429/503 or timeouts, which
 * halve the limit), and no probe is made.
 *
 * <p>A garbage-collection pause stops harvest's threads: every response in flight comes back
 * later by the pause, and by the backlog it left behind. On the bench nginx the young collections
 * (5-15 ms, every ~230 ms) raised the median of one or two rounds to 1.5-2.6 x the floor, and the
 * latency rule cut the limit after every one of them (it held near 300, at 70% of a fixed 1000's
 * throughput). So a round whose rise over the floor is within {@value #PAUSE_SPREAD} times the
 * pauses of this round and the one before is not judged: the limit holds.
 *
 * <p>Not thread-safe: the caller ({@link FlowControl}) holds its lock. Times are
 * {@link System#nanoTime()} values passed in, so tests drive the clock.
 */
final class AdaptiveLimit {
    static final int INITIAL = 16;
    static final int MIN = 1;
    static final double GROW_TOLERANCE = 1.25;
    static final double SHRINK_TOLERANCE = 1.5;
    static final double HEADROOM = 1.2;
    static final double GROWTH = 10;
    static final long FLOOR_WINDOW_SECONDS = 30;
    /** Fewest responses a round judges: one slow response in a handful is noise, not a queue. */
    static final int MIN_ROUND = 16;
    /** Share of this machine's CPU in use above which latency is harvest's own queue, not the server's. */
    static final double CPU_BUSY = 0.9;
    /** Share below which CPUs found busy count as having time to spare again. */
    static final double CPU_IDLE = 0.75;
    /** How many times a pause's length it may raise latency: the pause, then its backlog. */
    static final int PAUSE_SPREAD = 3;
    private static final long CPU_READ_SPACING_NANOS = 250_000_000L;
    /**
     * The first second's CPU readings are not trusted: the JIT compiles harvest's code on all CPUs
     * then (on the knee server, a reading of 100% let the limit climb to 8 times the knee).
     */
    static final long CPU_WARMUP_NANOS = 1_000_000_000L;
    private static final long FLOOR_WINDOW_NANOS = FLOOR_WINDOW_SECONDS * 1_000_000_000L;

    /** A change of the limit, and why. */
    record Move(int from, int to, String why) {
    }

    private final int max;
    private final DoubleSupplier machineCpu;
    private final LongSupplier gcPauses;
    private final long startedAt;
    /** The pause total read at the end of the round before last, and of the last round. */
    private long pausesTwoRoundsAgo;
    private long pausesLastRound;
    private double cpu = Double.NaN;
    private long cpuReadAt;
    private boolean cpuRead;
    private boolean busy;
    private int limit;
    /** Round medians of the floor's window, ascending by median: a monotonic deque of {time, median}. */
    private final ArrayDeque<long[]> floorWindow = new ArrayDeque<>();
    private long[] round = new long[INITIAL];
    private int samples;
    private int responses;
    private boolean dropped;
    /** Responses still to ignore after a decrease: requests that started under the higher limit. */
    private int stale;
    private int peakInFlight;
    private long lastMedian = -1;
    /** When a round last came near the floor (or the last probe). */
    private long nearFloorAt;

    /**
     * @param initial the limit to start at (clamped to 1..max)
     * @param max     the highest limit (MAX of auto:MAX, within what the heap holds)
     * @param now     the clock's reading at the start
     */
    AdaptiveLimit(int initial, int max, long now) {
        this(initial, max, now, () -> Double.NaN);
    }

    /**
     * @param initial    the limit to start at (clamped to 1..max)
     * @param max        the highest limit (MAX of auto:MAX, within what the heap holds)
     * @param now        the clock's reading at the start
     * @param machineCpu the share of this machine's CPU in use (0..1), NaN when unknown
     */
    AdaptiveLimit(int initial, int max, long now, DoubleSupplier machineCpu) {
        this(initial, max, now, machineCpu, () -> 0);
    }

    /**
     * @param initial    the limit to start at (clamped to 1..max)
     * @param max        the highest limit (MAX of auto:MAX, within what the heap holds)
     * @param now        the clock's reading at the start
     * @param machineCpu the share of this machine's CPU in use (0..1), NaN when unknown
     * @param gcPauses   nanoseconds this JVM has been paused for garbage collection so far ({@link GcPauses})
     */
    AdaptiveLimit(int initial, int max, long now, DoubleSupplier machineCpu, LongSupplier gcPauses) {
        this.machineCpu = machineCpu;
        this.gcPauses = gcPauses;
        this.startedAt = now;
        this.pausesTwoRoundsAgo = gcPauses.getAsLong();
        this.pausesLastRound = pausesTwoRoundsAgo;
        this.max = Math.max(MIN, max);
        this.limit = Math.clamp(initial, MIN, this.max);
        this.nearFloorAt = now;
    }

    /** The current limit. */
    int limit() {
        return limit;
    }

    /** The latency floor measured, in milliseconds; NaN before the first round ended. */
    double floorMillis() {
        return floorWindow.isEmpty() ? Double.NaN : floorWindow.peekFirst()[1] / 1e6;
    }

    /** The last round's median latency in milliseconds; NaN before the first round ended. */
    double latencyMillis() {
        return lastMedian < 0 ? Double.NaN : lastMedian / 1e6;
    }

    /**
     * One response (or timeout).
     *
     * @param latencyNanos how long the attempt took
     * @param drop         the server throttled (429, 503) or the attempt timed out
     * @param inFlight     requests in flight when it ended, itself included
     * @param now          the clock
     * @return the move when the round ended and the limit changed, else null
     */
    Move sample(long latencyNanos, boolean drop, int inFlight, long now) {
        if (stale > 0) {
            // Started before the limit came down: their latency and drops tell of the old limit
            // (judging them too cut a limit of 12 to 1 in four steps on a real run).
            stale--;
            return null;
        }
        responses++;
        if (drop) {
            dropped = true;
        } else {
            if (samples == round.length) {
                round = Arrays.copyOf(round, samples * 2);
            }
            round[samples++] = Math.max(0, latencyNanos);
        }
        peakInFlight = Math.max(peakInFlight, inFlight);
        // A round is about one round trip of responses: those of requests started before a move
        // must not move the limit again (a burst of 429s halves it once, not ten times).
        if (responses < Math.max(MIN_ROUND, limit)) {
            return null;
        }
        return endRound(now);
    }

    private Move endRound(long now) {
        int from = limit;
        long pausesNow = gcPauses.getAsLong();
        long paused = pausesNow - pausesTwoRoundsAgo;
        pausesTwoRoundsAgo = pausesLastRound;
        pausesLastRound = pausesNow;
        String why;
        if (dropped) {
            limit = Math.max(MIN, limit / 2);
            why = "the server throttled or a request timed out";
        } else if (samples > 0) {
            long median = median();
            lastMedian = median;
            addToFloor(now, median);
            long floor = floorWindow.peekFirst()[1];
            double ratio = floor > 0 ? (double) median / floor : 1;
            boolean cpuBusy = cpuBusy(now);
            boolean pausedOnly = paused > 0 && median - floor <= PAUSE_SPREAD * paused;
            if (ratio <= GROW_TOLERANCE || cpuBusy) {
                nearFloorAt = now;
            }
            if (cpuBusy && ratio > GROW_TOLERANCE) {
                if (peakInFlight * 2 >= limit) {
                    limit = Math.min(max, limit + Math.max(1, (int) (limit / GROWTH)));
                }
                why = String.format(Locale.ROOT, "latency %.1f ms is %.2f x the floor %.1f ms, but this machine's CPUs are"
                        + " %.0f%% busy: the wait is harvest's own, not the server's", median / 1e6, ratio, floor / 1e6, cpu * 100);
            } else if (ratio > SHRINK_TOLERANCE && !pausedOnly) {
                double factor = Math.clamp(HEADROOM / ratio, 0.5, 1);
                limit = Math.max(MIN, (int) (limit * factor));
                why = String.format(Locale.ROOT, "latency %.1f ms is %.2f x the floor %.1f ms: requests queue in the server",
                        median / 1e6, ratio, floor / 1e6);
            } else if (ratio <= GROW_TOLERANCE && peakInFlight * 2 >= limit) {
                limit = Math.min(max, limit + Math.max(1, (int) (limit / GROWTH)));
                why = String.format(Locale.ROOT, "latency %.1f ms is near the floor %.1f ms", median / 1e6, floor / 1e6);
            } else if (pausedOnly) {
                why = null; // the JVM's pause, not the server's queue: this round is not judged
            } else if (now - nearFloorAt > FLOOR_WINDOW_NANOS / 2) {
                limit = Math.max(MIN, limit / 2);
                why = String.format(Locale.ROOT, "probing: latency %.1f ms has not been near the floor %.1f ms for %d s",
                        median / 1e6, floor / 1e6, FLOOR_WINDOW_SECONDS / 2);
                nearFloorAt = now;
            } else {
                why = null;
            }
        } else {
            why = null;
        }
        newRound();
        if (limit < from) {
            stale = from - 1;
        }
        return limit == from ? null : new Move(from, limit, why);
    }

    /** Whether this machine's CPUs are busy; read at most four times a second (the reading costs a file read). */
    private boolean cpuBusy(long now) {
        if (now - startedAt < CPU_WARMUP_NANOS) {
            return false;
        }
        if (!cpuRead || now - cpuReadAt >= CPU_READ_SPACING_NANOS) {
            cpu = machineCpu.getAsDouble();
            cpuReadAt = now;
            cpuRead = true;
            // NaN (unknown) is never busy
            busy = busy ? cpu >= CPU_IDLE : cpu >= CPU_BUSY;
        }
        return busy;
    }

    /** Keeps, for each time, only medians lower than every later one: the window's minimum is first. */
    private void addToFloor(long now, long median) {
        while (!floorWindow.isEmpty() && floorWindow.peekLast()[1] >= median) {
            floorWindow.removeLast();
        }
        floorWindow.addLast(new long[] {now, median});
        while (floorWindow.size() > 1 && now - floorWindow.peekFirst()[0] > FLOOR_WINDOW_NANOS) {
            floorWindow.removeFirst();
        }
    }

    private long median() {
        long[] s = Arrays.copyOf(round, samples);
        Arrays.sort(s);
        return s[samples / 2];
    }

    private void newRound() {
        samples = 0;
        responses = 0;
        dropped = false;
        peakInFlight = 0;
    }
}
