package dev.harvest.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.harvest.fetch.BodyBudget;
import dev.harvest.fetch.FailureReason;
import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Outcome;
import dev.harvest.fetch.Validators;
import dev.harvest.read.InputLine;
import dev.harvest.report.RunStats;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's promises, on fakes (no HTTP server, no files): every ID ends in exactly one
 * outcome or is counted unfinished; the body budget bounds the bytes held; a hard stop or an
 * abort ends promptly with the books balanced; a store that dies aborts the run and never hangs it.
 */
class PipelinePromisesTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(20);

    /** What the random fake fetch decided for one ID. */
    private enum Kind { OK, FAILED, ABANDONED, THROWS }

    @Test
    void everyForkedIdEndsInExactlyOneOutcomeOrUnfinished() throws Exception {
        long seed = System.nanoTime();
        List<InputLine> lines = Fakes.lines(3_000);
        RunStats stats = new RunStats();
        Fakes.RecordingSink sink = new Fakes.RecordingSink(stats);
        Map<String, Kind> decided = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        AtomicReference<BodyBudget> budget = new AtomicReference<>();
        FetchStage.Opener opener = (gate, bodies) -> {
            budget.set(bodies);
            return (id, target, permit) -> {
                calls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                Random random = new Random(seed ^ id.hashCode());
                LockSupport.parkNanos(random.nextInt(2_000_000));
                int dice = random.nextInt(100);
                Kind kind = dice < 70 ? Kind.OK : dice < 85 ? Kind.FAILED : dice < 95 ? Kind.ABANDONED : Kind.THROWS;
                decided.put(id, kind);
                return switch (kind) {
                    case OK -> Fakes.response(bodies, 1 + random.nextInt(4096));
                    case FAILED -> new FetchResult.Failure(FailureReason.forStatus(500), 500, 3, true, "HTTP 500", 1);
                    case ABANDONED -> new FetchResult.Abandoned(1, "job stopped");
                    case THROWS -> throw new IllegalStateException("fetcher bug");
                };
            };
        };
        Pipeline pipeline = Fakes.pipeline(Fakes.job("concurrency", "64"), Fakes.source(lines), opener, sink, stats);

        Ending ending = assertTimeoutPreemptively(PROMPTLY, () -> pipeline.run(new StopRequest()));

        String context = "seed " + seed + ": " + Fakes.books(stats);
        assertInstanceOf(Ending.Completed.class, ending, context + "; " + ending);
        assertEquals(lines.size(), stats.linesRead(), context);
        assertTrue(Fakes.balanced(stats), context);
        for (InputLine line : lines) {
            switch (line) {
                case InputLine.Skipped s -> assertEquals(0, sink.times(s.number()), "skipped line " + s.number());
                case InputLine.Invalid bad -> {
                    assertEquals(1, sink.times(bad.number()), "invalid line " + bad.number());
                    assertEquals(FailureReason.INVALID_ID, ((FetchResult.Failure) sink.results.get(bad.number())).reason());
                }
                case InputLine.Id id -> {
                    assertEquals(1, calls.get(id.id()).get(), "fetched once: " + id.id() + ", " + context);
                    assertEquals(1, sink.times(id.number()), "stored once: " + id.id() + ", " + context);
                    Class<?> expected = switch (decided.get(id.id())) {
                        case OK -> FetchResult.Response.class;
                        case FAILED -> FetchResult.Failure.class;
                        case ABANDONED, THROWS -> FetchResult.Abandoned.class;
                    };
                    assertInstanceOf(expected, sink.results.get(id.number()), id.id() + ", " + context);
                }
            }
        }
        assertEquals(0, ((InFlightBodies) budget.get()).used(), "every body's bytes given back");
    }

    @Test
    void theBodyBudgetBoundsTheBytesHeldWhileTheStoreIsSlow() throws Exception {
        int budgetBytes = 64 << 10;
        int size = 4 << 10;
        RunStats stats = new RunStats();
        AtomicLong held = new AtomicLong();
        AtomicLong highWater = new AtomicLong();
        Fakes.RecordingSink sink = new Fakes.RecordingSink(stats) {
            @Override
            void stored(Outcome o) {
                if (o.result() instanceof FetchResult.Response) {
                    held.addAndGet(-size); // written: the store drops the body
                }
                LockSupport.parkNanos(100_000); // a slow disk: outcomes pile up on the queue
            }
        };
        FetchStage.Opener opener = (gate, bodies) -> (id, target, permit) -> {
            // As the real fetcher: the bytes are taken before the body is held, waiting unread if need be.
            Object body = new Object();
            CountDownLatch granted = new CountDownLatch(1);
            if (!bodies.take(body, size, false, granted::countDown)) {
                try {
                    granted.await();
                } catch (InterruptedException e) {
                    throw new AssertionError("not stopped in this test", e);
                }
            }
            bodies.finished(body);
            highWater.accumulateAndGet(held.addAndGet(size), Math::max);
            return new FetchResult.Response(200, new byte[size], null, Validators.NONE, 1, 1);
        };
        List<InputLine> lines = Fakes.lines(2_000);
        Pipeline pipeline = Fakes.pipeline(Fakes.job("concurrency", "200"), Fakes.source(lines), opener, sink, stats,
                budgetBytes);

        Ending ending = assertTimeoutPreemptively(PROMPTLY, () -> pipeline.run(new StopRequest()));

        assertInstanceOf(Ending.Completed.class, ending, ending.toString());
        assertTrue(Fakes.balanced(stats), Fakes.books(stats));
        // 200 fetchers and a 256-outcome queue could hold 1.8 MiB: the budget holds them to 64 KiB.
        assertTrue(highWater.get() <= budgetBytes, "at most the budget held: " + highWater.get());
        assertTrue(highWater.get() >= budgetBytes / 2, "the store was slow enough to test it: " + highWater.get());
        assertEquals(0, held.get());
    }

    /**
     * A fake fetch that blocks until interrupted, as a request to a server that never answers. Most
     * use the interrupt up, as the real fetcher does; every third keeps it set, so its hand-over to
     * the store is cut short too.
     */
    private static FetchStage.Opener hanging(CountDownLatch started) {
        return (gate, bodies) -> (id, target, permit) -> {
            started.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(10));
                return new FetchResult.Failure(FailureReason.TIMEOUT, 0, 1, true, "timed out", 1);
            } catch (InterruptedException e) {
                if (id.hashCode() % 3 == 0) {
                    Thread.currentThread().interrupt();
                }
                return new FetchResult.Abandoned(1, "interrupted");
            }
        };
    }

    /** Runs the pipeline on a platform thread of its own (as the CLI's main thread). */
    private static Thread start(Pipeline pipeline, StopRequest stop, AtomicReference<Ending> ending) {
        return Thread.ofPlatform().name("test-owner").start(() -> {
            try {
                ending.set(pipeline.run(stop));
            } catch (InterruptedException e) {
                ending.set(new Ending.Aborted("run() threw InterruptedException"));
            }
        });
    }

    private static void assertEndsPromptly(Thread owner) throws InterruptedException {
        if (!owner.join(PROMPTLY)) {
            owner.interrupt();
            fail("the run did not end within " + PROMPTLY);
        }
    }

    @Test
    void aSecondSignalStopsAtOnceWithTheBooksBalanced() throws Exception {
        RunStats stats = new RunStats();
        Fakes.RecordingSink sink = new Fakes.RecordingSink(stats);
        CountDownLatch started = new CountDownLatch(16);
        Pipeline pipeline = Fakes.pipeline(Fakes.job("concurrency", "16", "drain-timeout", "10m"),
                Fakes.source(Fakes.lines(1_000)), hanging(started), sink, stats);
        StopRequest stop = new StopRequest();
        AtomicReference<Ending> ending = new AtomicReference<>();
        Thread owner = start(pipeline, stop, ending);
        assertTrue(started.await(10, TimeUnit.SECONDS), "16 requests in flight");

        stop.request("TERM");
        owner.join(300);
        assertTrue(owner.isAlive(), "the first signal drains: it waits for the requests in flight");
        stop.request("TERM");
        assertEndsPromptly(owner);

        assertEquals(new Ending.Interrupted("TERM"), ending.get());
        assertTrue(Fakes.balanced(stats), Fakes.books(stats));
        assertTrue(stats.abandoned() >= 16, "the requests in flight are unfinished: " + Fakes.books(stats));
        assertTrue(sink.stored.values().stream().allMatch(n -> n.get() == 1), "no line stored twice");
    }

    @Test
    void theDrainTimeoutStopsAHangingRunAfterOneSignal() throws Exception {
        RunStats stats = new RunStats();
        CountDownLatch started = new CountDownLatch(16);
        Pipeline pipeline = Fakes.pipeline(Fakes.job("concurrency", "16", "drain-timeout", "200ms"),
                Fakes.source(Fakes.lines(1_000)), hanging(started), new Fakes.RecordingSink(stats), stats);
        StopRequest stop = new StopRequest();
        AtomicReference<Ending> ending = new AtomicReference<>();
        Thread owner = start(pipeline, stop, ending);
        assertTrue(started.await(10, TimeUnit.SECONDS), "16 requests in flight");

        stop.request("INT");
        assertEndsPromptly(owner);

        assertEquals(new Ending.Interrupted("INT"), ending.get());
        assertTrue(Fakes.balanced(stats), Fakes.books(stats));
    }

    @Test
    void anAbortEndsPromptlyWithTheLinesNotForkedCountedUnfinished() throws Exception {
        RunStats stats = new RunStats();
        FetchStage.Opener opener = (gate, bodies) -> (id, target, permit) -> {
            if (id.equals("C50")) {
                gate.abort("cannot write to --save-to: disk full"); // as the fetcher does for a local write error
                return new FetchResult.Abandoned(1, "disk full");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            return new FetchResult.Failure(FailureReason.forStatus(404), 404, 1, false, "HTTP 404", 1);
        };
        Pipeline pipeline = Fakes.pipeline(Fakes.job("concurrency", "8"), Fakes.source(Fakes.lines(1_000)), opener,
                new Fakes.RecordingSink(stats), stats);

        Ending ending = assertTimeoutPreemptively(PROMPTLY, () -> pipeline.run(new StopRequest()));

        assertEquals(new Ending.Aborted("cannot write to --save-to: disk full"), ending);
        assertTrue(stats.linesRead() < 1_000, "stopped reading: " + Fakes.books(stats));
        assertTrue(Fakes.balanced(stats), Fakes.books(stats));
    }

    /** A store that fails on its 100th outcome, with {@code fault}; the run must abort, not hang or complete. */
    private static void assertAStoreThatDiesAbortsTheRun(Throwable fault, String cause) throws Exception {
        RunStats stats = new RunStats();
        Function<Outcome, Throwable> onHundredth = new Function<>() {
            private int n;

            @Override
            public Throwable apply(Outcome o) {
                return ++n == 100 ? fault : null;
            }
        };
        Fakes.RecordingSink sink = new Fakes.RecordingSink(stats, onHundredth);
        FetchStage.Opener opener = (gate, bodies) -> (id, target, permit) -> Fakes.response(bodies, 100);
        Pipeline pipeline = Fakes.pipeline(Fakes.job("concurrency", "32"), Fakes.source(Fakes.lines(5_000)), opener,
                sink, stats, 64 << 10);

        Ending ending = assertTimeoutPreemptively(PROMPTLY, () -> pipeline.run(new StopRequest()));

        Ending.Aborted aborted = assertInstanceOf(Ending.Aborted.class, ending, ending.toString());
        assertTrue(aborted.cause().contains(cause), aborted.cause());
        assertEquals(100, sink.acceptCalls.get(), "nothing passed on to a store that failed");
        assertTrue(Fakes.balanced(stats), Fakes.books(stats));
    }

    @Test
    void aStoreThatThrowsAbortsTheRun() throws Exception {
        assertAStoreThatDiesAbortsTheRun(new IllegalStateException("renderer bug"), "internal error in the store stage");
    }

    @Test
    void aStoreThatThrowsAnErrorAbortsTheRun() throws Exception {
        assertAStoreThatDiesAbortsTheRun(new StackOverflowError(), "internal error in the store stage");
    }

    @Test
    void aStoreThatCannotWriteAbortsTheRun() throws Exception {
        assertAStoreThatDiesAbortsTheRun(new IOException("No space left on device"),
                "cannot write output: No space left on device");
    }
}
