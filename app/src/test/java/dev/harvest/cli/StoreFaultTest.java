package dev.harvest.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.harvest.Harvest;
import dev.harvest.config.JobConfig;
import dev.harvest.config.Setting;
import dev.harvest.config.SettingsLoader;
import dev.harvest.fetch.Outcome;
import dev.harvest.pipeline.Ending;
import dev.harvest.pipeline.OutcomeSink;
import dev.harvest.pipeline.Pipeline;
import dev.harvest.pipeline.StopRequest;
import dev.harvest.read.IdSource;
import dev.harvest.read.IdSources;
import dev.harvest.report.RunStats;
import dev.harvest.store.StoreStage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever goes wrong in the store stage, no ID is lost: a store stage that throws (any
 * exception, or an Error) aborts the run with the journal kept, and a store stage that loses an
 * outcome silently is caught by the run's books before anything is published. A resume through
 * the real entry point then completes with every ID exactly once. The faults are injected between
 * the pipeline and the real store stage (a sink around {@link StoreStageSink}), so these do not
 * depend on any one renderer bug.
 */
@Tag("slow")
class StoreFaultTest {
    private static final int IDS = 400;
    private static final String VICTIM = "C0000123";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private final List<String> ids = IntStream.rangeClosed(1, IDS).mapToObj(i -> String.format("C%07d", i)).toList();
    private Path input;
    private Path out;

    @BeforeEach
    void setUp() throws Exception {
        server.stubFor(get(urlPathMatching("/customers/.*")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"details\":[{\"x\":1}]}")));
        input = Harvest.idFile(dir, "ids.txt", "customer_id", ids);
        out = Files.createDirectory(dir.resolve("out"));
    }

    private String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("--input", input.toString(),
                "--url", server.baseUrl() + "/customers/{id}", "--out", out.toString(), "-q", "--concurrency", "8",
                "--format", "csv", "--records", "/details", "--fields", "customer={id},x=/x"));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    /** Runs the job the way {@code harvest run} does, with {@code beforeStore} between the queue and the store. */
    private Ending runWith(UnaryOperator<Outcome> beforeStore) throws Exception {
        String[] a = args();
        List<Setting> flags = new ArrayList<>();
        for (int i = 0; i < a.length; i++) {
            String key = a[i].substring(a[i].startsWith("--") ? 2 : 1);
            flags.add(key.equals("q") ? new Setting("quiet", "true", "-q") : new Setting(key, a[++i], a[i - 1]));
        }
        JobConfig job = JobConfig.from(SettingsLoader.load(flags, Map.of()), Map.of());
        RunStats stats = new RunStats();
        try (IdSource source = IdSources.open(job.input(), InputStream.nullInputStream())) {
            StoreStage store = StoreStage.open(dev.harvest.store.RunPlan.prepare(job.input(), job.request(), job.output(),
                    "20260101-000000", new ArrayList<>()), stats);
            Ending ending = new Pipeline(job.flow(), job.request(), source, HttpFetchStage.opener(job, store),
                    faulty(new StoreStageSink(store), beforeStore), stats).run(new StopRequest());
            if (ending instanceof Ending.Completed && stats.abandoned() == 0) {
                store.complete();
            } else {
                store.suspend();
            }
            return ending;
        }
    }

    /** The real sink, with {@code beforeStore} seeing each outcome first: it may throw, or drop it (null). */
    private static OutcomeSink faulty(OutcomeSink real, UnaryOperator<Outcome> beforeStore) {
        return new OutcomeSink() {
            @Override
            public boolean doneBefore(long line) {
                return real.doneBefore(line);
            }

            @Override
            public void accept(Outcome o) throws IOException {
                Outcome kept = beforeStore.apply(o);
                if (kept != null) {
                    real.accept(kept);
                }
            }

            @Override
            public void checkpointIfDue() throws IOException {
                real.checkpointIfDue();
            }
        };
    }

    private static UnaryOperator<Outcome> onVictim(UnaryOperator<Outcome> fault) {
        return o -> o.id().equals(VICTIM) ? fault.apply(o) : o;
    }

    /** Aborted with the journal kept and nothing published; a resume completes with every ID once. */
    private void assertAbortedThenResumes(Ending ending, String cause) {
        Ending.Aborted aborted = assertInstanceOf(Ending.Aborted.class, ending, ending.toString());
        assertTrue(aborted.cause().contains(cause), aborted.cause());
        List<String> names = Harvest.names(out);
        assertTrue(names.stream().anyMatch(n -> n.endsWith(".journal")), "journal kept: " + names);
        assertTrue(names.stream().noneMatch(n -> n.startsWith("results-") && n.endsWith(".csv")), "nothing published: " + names);

        Harvest.Result resumed = Harvest.run(args("--resume"));
        assertEquals(0, resumed.exitCode(), resumed.stderr());
        names = Harvest.names(out);
        assertTrue(names.stream().noneMatch(n -> n.endsWith(".part") || n.endsWith(".journal")), names.toString());
        List<String> rows = Harvest.lines(Harvest.only(out, "results-"));
        assertEquals("customer,x", rows.getFirst());
        Map<String, Integer> seen = new HashMap<>();
        rows.subList(1, rows.size()).forEach(r -> seen.merge(r, 1, Integer::sum));
        for (String id : ids) {
            assertEquals(1, seen.getOrDefault(id + ",1", 0), id);
        }
        assertEquals(IDS, rows.size() - 1, "no other rows");
        assertEquals(1, Harvest.lines(Harvest.only(out, "failed-")).size(), "nothing failed");
    }

    @Test
    void anExceptionFromTheStoreAbortsResumably() throws Exception {
        Ending ending = runWith(onVictim(o -> {
            throw new IllegalStateException("store stage bug");
        }));
        assertAbortedThenResumes(ending, "internal error in the store stage");
    }

    @Test
    void anErrorInTheStoreAbortsResumably() throws Exception {
        Ending ending = runWith(onVictim(o -> {
            throw new StackOverflowError();
        }));
        assertAbortedThenResumes(ending, "internal error in the store stage");
    }

    @Test
    void anOutcomeLostOnTheWayIsNeverPublished() throws Exception {
        Ending ending = runWith(onVictim(o -> null));
        assertAbortedThenResumes(ending, IDS + " lines read but " + (IDS - 1) + " accounted for");
    }
}
