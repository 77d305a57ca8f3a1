package dev.harvest.config;

import dev.harvest.fetch.RetryPolicy;
import dev.harvest.pipeline.FlowSettings;
import java.time.Duration;

/** Builds the {@link FlowSettings} of a job: concurrency, rate, retries, circuit breakers, drain. */
final class FlowParser {
    /**
     * Highest {@code --concurrency}: every request in flight holds a virtual thread, a connection
     * and buffers in the launcher's heap; above this a typo would exhaust memory, not speed up.
     */
    static final int MAX_CONCURRENCY = 10_000;
    /** Default MAX of {@code --concurrency auto}. */
    static final int AUTO_MAX = 1000;
    /** Lowest non-zero {@code --rate} (one request per 10,000 s); slower rates overflow the spacing clock. */
    static final double MIN_RATE = 0.0001;
    /** Highest {@code --rate}. */
    static final double MAX_RATE = 1_000_000;

    private FlowParser() {
    }

    static FlowSettings parse(SettingReader r) throws ConfigException {
        Setting concurrencySetting = r.get("concurrency");
        boolean autoConcurrency = concurrencySetting.value().strip().startsWith("auto");
        int concurrency = concurrency(concurrencySetting);
        double rate = Values.rate(r.get("rate"), MIN_RATE, MAX_RATE);
        RetryPolicy retry = new RetryPolicy(Values.intIn(r.get("retries"), 0, 100), Values.positive(r.get("backoff")),
                Values.positive(r.get("max-retry-wait")));
        return new FlowSettings(concurrency, autoConcurrency, rate, retry, Values.ratio(r.get("retry-budget")),
                Values.intIn(r.get("circuit-failures"), 0, 1_000_000),
                Values.intIn(r.get("circuit-window"), 0, 1_000_000), circuitRatio(r.get("circuit-ratio")),
                Values.duration(r.get("drain-timeout"), Duration.ZERO, Values.MAX_DURATION),
                Values.positive(r.get("progress-interval")));
    }

    /** {@code --concurrency}: N, {@code auto} or {@code auto:MAX}; for auto, the most it may reach. */
    private static int concurrency(Setting s) throws ConfigException {
        String v = s.value().strip();
        if (v.equals("auto")) {
            return AUTO_MAX;
        }
        if (v.startsWith("auto:")) {
            try {
                int max = Integer.parseInt(v.substring(5).strip());
                if (max >= 1 && max <= MAX_CONCURRENCY) {
                    return max;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw Values.bad(s, "expected auto:MAX with MAX a whole number from 1 to " + MAX_CONCURRENCY);
        }
        return Values.intIn(s, 1, MAX_CONCURRENCY);
    }

    private static double circuitRatio(Setting s) throws ConfigException {
        double v = Values.ratio(s);
        if (v == 0) {
            throw Values.bad(s, "expected a ratio above 0 and at most 1 (--circuit-window 0 turns the circuit off)");
        }
        return v;
    }
}
