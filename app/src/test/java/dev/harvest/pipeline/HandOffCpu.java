package dev.harvest.pipeline;

import dev.harvest.fetch.FetchResult;
import dev.harvest.fetch.Outcome;
import dev.harvest.report.RunStats;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures what the hand-off to the store costs in CPU (not a test: run by hand, issue 14): 1,000
 * virtual threads hand over 100,000 outcomes at a paced total rate (like a run against a fast
 * server) to a store doing ~1 µs of work per outcome, and it prints the process's and the store
 * thread's CPU per outcome, min and median of the repetitions:
 * <pre>
 * java -XX:TieredStopAtLevel=1 -cp ... dev.harvest.pipeline.HandOffCpu [reps] [outcomes per second]
 * </pre>
 */
public final class HandOffCpu {
    private static final int OUTCOMES = 100_000;
    private static final int PRODUCERS = 1_000;

    private HandOffCpu() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 12_000;
        long[] process = new long[reps];
        long[] store = new long[reps];
        for (int r = -1; r < reps; r++) {
            long[] m = run(rate);
            if (r >= 0) {
                process[r] = m[0];
                store[r] = m[1];
            }
        }
        Arrays.sort(process);
        Arrays.sort(store);
        System.out.printf("%,d/s: process CPU ns/outcome min %,6d median %,6d   store thread min %,6d median %,6d%n", rate,
                process[0] / OUTCOMES, process[reps / 2] / OUTCOMES, store[0] / OUTCOMES, store[reps / 2] / OUTCOMES);
    }

    private static long[] run(int rate) throws Exception {
        RunStats stats = new RunStats();
        AtomicLong storeCpu = new AtomicLong();
        OutcomeSink sink = new OutcomeSink() {
            private long work;

            @Override
            public boolean doneBefore(long line) {
                return false;
            }

            @Override
            public void accept(Outcome o) {
                for (int i = 0; i < 300; i++) { // ~1 µs, like storing a small body
                    work = work * 31 + i;
                }
                stats.ok(1, 0);
            }

            @Override
            public void checkpointIfDue() {
                storeCpu.set(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime());
            }
        };
        InFlightBodies bodies = new InFlightBodies(1 << 24);
        StoreHandOff handOff = new StoreHandOff(PRODUCERS, sink, bodies, stats, new FlowControl(Fakes.job().flow()));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        handOff.start();
        Semaphore permits = new Semaphore(0);
        AtomicLong next = new AtomicLong();
        Thread[] producers = new Thread[PRODUCERS];
        for (int p = 0; p < PRODUCERS; p++) {
            producers[p] = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        permits.acquire();
                        long line = next.incrementAndGet();
                        if (line > OUTCOMES) {
                            return;
                        }
                        handOff.put(new Outcome(line, "c" + line, null, null,
                                new FetchResult.Response(200, new byte[0], "application/json", null, 1, 1)));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        long start = System.nanoTime();
        long released = 0;
        while (released < OUTCOMES + PRODUCERS) { // the pacer: the server's responses arriving
            TimeUnit.MILLISECONDS.sleep(1);
            long due = Math.min(OUTCOMES + PRODUCERS, (System.nanoTime() - start) * rate / 1_000_000_000L);
            permits.release((int) (due - released));
            released = due;
        }
        for (Thread t : producers) {
            t.join();
        }
        handOff.finish();
        long cpu = os.getProcessCpuTime() - cpu0;
        if (stats.ok() != OUTCOMES) {
            throw new IllegalStateException(stats.ok() + " stored");
        }
        return new long[] {cpu, storeCpu.get()};
    }
}
