package dev.harvest;

import dev.harvest.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs harvest through its real entry point, in-process or as a child JVM, and reads its outputs. */
public final class Harvest {
    private Harvest() {
    }

    /**
     * What one run produced.
     *
     * @param exitCode the exit code
     * @param stdout   what it printed on stdout
     * @param stderr   what it printed on stderr
     */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** Runs {@code harvest args...} in this JVM with the given environment. */
    public static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs {@code harvest args...} in this JVM with an empty environment. */
    public static Result run(String... args) {
        return run(Map.of(), args);
    }

    /** A command line that starts harvest in a child JVM (the same JDK and classpath as the tests). */
    public static List<String> childCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-preview");
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.harvest.cli.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The single file in {@code dir} whose name starts with {@code prefix} (and is not a .part file). */
    public static Path only(Path dir, String prefix) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && !p.getFileName().toString().endsWith(".part")).toList();
            if (found.size() != 1) {
                throw new AssertionError("expected one " + prefix + "* file in " + dir + ", found " + found);
            }
            return found.getFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The names of the files in a directory, sorted. */
    public static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's lines. */
    public static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes an ID file: for a CSV name ({@code *.csv}) the header then the IDs; for any other name
     * (one ID per line, which has no header by default) only the IDs, the header being ignored.
     */
    public static Path idFile(Path dir, String name, String header, List<String> ids) {
        try {
            List<String> all = new ArrayList<>();
            if (header != null && name.endsWith(".csv")) {
                all.add(header);
            }
            all.addAll(ids);
            return Files.write(dir.resolve(name), all, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
