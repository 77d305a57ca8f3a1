package dev.harvest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.harvest.cli.Main;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.constant.ClassDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The {@code dev.harvest.*} packages form a layered graph, no package depending on one that
 * depends back on it: read, fetch &lt;- report &lt;- store &lt;- pipeline &lt;- config &lt;- cli.
 * Read from the compiled main classes (every class a class file's constant pool names: fields,
 * signatures, calls, casts, annotations' types), so nothing that reaches the bytecode escapes.
 */
class PackageCyclesTest {
    private static final String ROOT = "dev.harvest";

    @Test
    void thePackagesHaveNoCycle() throws Exception {
        // Where the main classes were compiled to (target/classes), whatever the working directory.
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, Set<String>> graph = packageGraph(classes);
        assertTrue(graph.size() >= 5, "expected the harvest packages in " + classes + ", got " + graph.keySet());
        List<String> cycle = findCycle(graph);
        assertEquals(List.of(), cycle, "package cycle: " + String.join(" -> ", cycle) + "\n(graph: " + graph + ")");
    }

    @Test
    void aCycleIsFoundAndShownAsAPath() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put("cli", new TreeSet<>(Set.of("config")));
        graph.put("config", new TreeSet<>(Set.of("store")));
        graph.put("store", new TreeSet<>(Set.of("report")));
        graph.put("report", new TreeSet<>(Set.of("config")));
        assertEquals(List.of("config", "store", "report", "config"), findCycle(graph));
        graph.get("report").clear();
        assertEquals(List.of(), findCycle(graph));
    }

    /** Package to the other harvest packages its classes refer to. */
    static Map<String, Set<String>> packageGraph(Path classes) throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (Path file : files) {
            ClassModel model = ClassFile.of().parse(file);
            String from = model.thisClass().asSymbol().packageName();
            if (!from.startsWith(ROOT)) {
                continue;
            }
            Set<String> to = graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (PoolEntry entry : model.constantPool()) {
                if (entry instanceof ClassEntry c) {
                    ClassDesc d = c.asSymbol();
                    while (d.isArray()) {
                        d = d.componentType();
                    }
                    if (d.isClassOrInterface()) {
                        String pkg = d.packageName();
                        if (pkg.startsWith(ROOT + ".") && !pkg.equals(from)) {
                            to.add(pkg);
                        }
                    }
                }
            }
        }
        return graph;
    }

    /** A cycle as a path whose first and last package are the same, or an empty list. */
    static List<String> findCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new HashMap<>(); // absent: unseen, 1: on the path, 2: done
        for (String start : graph.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            List<String> cycle = visit(start, graph, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state,
                                      Deque<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return List.of();
        }
        if (s != null && s == 1) {
            List<String> onPath = new ArrayList<>(path);
            List<String> cycle = new ArrayList<>(onPath.subList(onPath.indexOf(node), onPath.size()));
            cycle.add(node);
            return cycle;
        }
        state.put(node, 1);
        path.addLast(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> cycle = visit(next, graph, state, path);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.removeLast();
        state.put(node, 2);
        return List.of();
    }
}
