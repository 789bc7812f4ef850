package dev.baeum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the shape of the code (docs/architecture.md) against the compiled classes and the sources:
 * layers point one way, packages form no cycle, and the size rules stay kept.
 *
 * <p>The package graph comes from the JDK's own {@code jdeps} over {@code target/classes}, so what is
 * checked is what the compiler linked, not what the imports say.
 */
class ArchitectureTest {

    /**
     * Lowest first; a package may use its own layer and the layers below it, never one above. "root" is the
     * composition root ({@code dev.baeum.App}, the wiring); the command line starts it.
     */
    private static final List<String> LAYERS = List.of("base", "content", "runtime", "services", "web", "root", "cli");

    private static final Path CLASSES = Path.of("server/target/classes");
    private static final Path SOURCES = Path.of("server/src/main/java");

    private static Map<String, Set<String>> uses;
    /** Packages that link against Javalin. */
    private static Set<String> jdepsJavalin;

    @BeforeAll
    static void readPackageGraph() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(out),
                "-verbose:package", "-filter:none", "-e", "(dev\\.baeum|io\\.javalin)(\\..*)?", CLASSES.toString());
        assertEquals(0, status, out.toString());
        uses = new TreeMap<>();
        jdepsJavalin = new TreeSet<>();
        Pattern javalin = Pattern.compile("^\\s+(dev\\.baeum[\\w.]*)\\s+->\\s+io\\.javalin");
        Pattern edge = Pattern.compile("^\\s+(dev\\.baeum[\\w.]*)\\s+->\\s+(dev\\.baeum[\\w.]*)\\s");
        for (String line : out.toString().split("\n")) {
            Matcher j = javalin.matcher(line);
            if (j.find()) jdepsJavalin.add(j.group(1));
            Matcher m = edge.matcher(line);
            if (m.find()) {
                uses.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                if (!m.group(1).equals(m.group(2))) uses.get(m.group(1)).add(m.group(2));
            }
        }
        assertTrue(uses.size() > 10, "jdeps found too few packages: " + out);
    }

    /** {@code dev.baeum.runtime.engine.proxy} → "runtime"; the root package is the composition root. */
    private static String layerOf(String pkg) {
        if (pkg.equals("dev.baeum")) return "root";
        String first = pkg.substring("dev.baeum.".length()).split("\\.")[0];
        return first;
    }

    @Test
    void everyPackageBelongsToALayer() {
        List<String> strays = uses.keySet().stream()
                .filter(p -> !LAYERS.contains(layerOf(p)))
                .toList();
        assertEquals(List.of(), strays, "packages outside " + LAYERS);
    }

    @Test
    void layersPointDownOnly() {
        List<String> upward = new ArrayList<>();
        uses.forEach((from, targets) -> {
            for (String to : targets) {
                if (LAYERS.indexOf(layerOf(to)) > LAYERS.indexOf(layerOf(from))) {
                    upward.add(from + " -> " + to);
                }
            }
        });
        assertEquals(List.of(), upward, "dependencies that point up a layer");
    }

    @Test
    void runtimeTakesASpecNotTheContent() {
        List<String> bad = new ArrayList<>();
        uses.forEach((from, targets) -> targets.stream()
                .filter(to -> layerOf(from).equals("runtime") && layerOf(to).equals("content"))
                .forEach(to -> bad.add(from + " -> " + to)));
        assertEquals(List.of(), bad, "the runtime runs a spec, it does not read lessons or labs");
    }

    @Test
    void onlyTheWebSpeaksHttp() {
        // Javalin stays in web (and the wiring above it): content, runtime and services know no Context.
        List<String> bad = new ArrayList<>();
        uses.forEach((from, targets) -> {
            String layer = layerOf(from);
            boolean below = LAYERS.indexOf(layer) < LAYERS.indexOf("web");
            if (below && jdepsJavalin.contains(from)) bad.add(from);
        });
        assertTrue(jdepsJavalin.stream().anyMatch(p -> layerOf(p).equals("web")), "jdeps saw the web use Javalin: " + jdepsJavalin);
        assertEquals(List.of(), bad, "packages below web that use Javalin");
    }

    @Test
    void noPackageCycles() {
        List<Set<String>> cycles = stronglyConnected(uses).stream().filter(c -> c.size() > 1).toList();
        assertEquals(List.of(), cycles, "packages that depend on each other in a circle");
    }

    @Test
    void noMainClassOverFourHundredLines() throws IOException {
        Map<String, Long> long_ = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                long lines;
                try (Stream<String> s = Files.lines(f)) {
                    lines = s.count();
                }
                if (lines > 400) long_.put(SOURCES.relativize(f).toString(), lines);
            }
        }
        assertEquals(Map.of(), long_, "classes over 400 lines");
    }

    @Test
    void controllersHaveAtMostFiveCollaborators() throws Exception {
        Map<String, Integer> crowded = new TreeMap<>();
        for (String name : classNames()) {
            if (!name.endsWith("Controller") || name.contains("$")) continue;
            Class<?> c = Class.forName(name);
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (k.getParameterCount() > 5) crowded.put(name, k.getParameterCount());
            }
        }
        assertTrue(classNames().stream().anyMatch(n -> n.endsWith("Controller")), "no controllers in " + CLASSES);
        assertEquals(Map.of(), crowded, "controllers with more than five collaborators");
    }

    @Test
    void sqlLivesOnlyInRepositories() throws IOException {
        Pattern sql = Pattern.compile(
                "\"\\s*(SELECT\\s|INSERT\\s+INTO|UPDATE\\s+\\w+\\s+SET|DELETE\\s+FROM|MERGE\\s+INTO|CREATE\\s+TABLE)",
                Pattern.CASE_INSENSITIVE);
        List<String> outside = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String file = f.getFileName().toString();
                boolean repository = file.endsWith("Repository.java")
                        || f.startsWith(SOURCES.resolve("dev/baeum/base/db"));
                if (!repository && sql.matcher(Files.readString(f)).find()) {
                    outside.add(SOURCES.relativize(f).toString());
                }
            }
        }
        assertEquals(List.of(), outside, "SQL outside repositories");
    }

    @Test
    void oneJsonMapperAndOneYamlMapper() throws IOException {
        // A YAML mapper (front matter, quizzes) is a mapper over another format; JSON has exactly one.
        Pattern yaml = Pattern.compile("new\\s+ObjectMapper\\s*\\(\\s*new\\s+YAMLFactory|new\\s+YAMLMapper\\s*\\(|YAMLMapper\\s*\\.\\s*builder\\s*\\(");
        Pattern any = Pattern.compile("new\\s+ObjectMapper\\s*\\(|JsonMapper\\s*\\.\\s*builder\\s*\\(|new\\s+YAMLMapper\\s*\\(|YAMLMapper\\s*\\.\\s*builder\\s*\\(");
        List<String> json = new ArrayList<>();
        List<String> yamls = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                Matcher m = any.matcher(text);
                while (m.find()) {
                    boolean isYaml = yaml.matcher(text.substring(m.start())).lookingAt();
                    (isYaml ? yamls : json).add(SOURCES.relativize(f).toString());
                }
            }
        }
        assertEquals(1, json.size(), "places that make a JSON ObjectMapper: " + json);
        assertTrue(yamls.size() <= 1, "places that make a YAML mapper: " + yamls);
    }

    private static List<String> classNames() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> CLASSES.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .toList();
        }
    }

    /** Tarjan's algorithm; recursion is fine for a few dozen packages. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) connect(v, graph, index, low, stack, onStack, components, counter);
        }
        return components;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> components,
            int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, components, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            components.add(component);
        }
    }
}
