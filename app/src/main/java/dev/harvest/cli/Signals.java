package dev.harvest.cli;

import dev.harvest.pipeline.StopRequest;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGINT and SIGTERM into a {@link StopRequest} for the duration of a run, instead of the
 * JVM's immediate shutdown, so the run can drain, checkpoint and exit 130/143 resumable.
 * ({@code sun.misc.Signal} is the JDK's supported way to do this; it lives in jdk.unsupported.)
 */
final class Signals implements AutoCloseable {
    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    static Signals install(StopRequest stop) {
        Signals s = new Signals();
        for (String name : List.of("INT", "TERM")) {
            try {
                Signal sig = new Signal(name);
                SignalHandler old = Signal.handle(sig, x -> stop.request(name));
                s.signals.add(sig);
                s.previous.add(old);
            } catch (IllegalArgumentException e) {
                // signal not available on this platform (or reserved by the JVM): keep the default
            }
        }
        return s;
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
